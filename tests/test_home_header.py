"""The home screen's header at 80 columns: a long unit name is cut with …, the role and user stay."""

from rich.cells import cell_len

from screens.shell.home import HomeScreen, who_line
from services.core.actor import Actor
from tests.builders import PASSWORD
from tests.pilot import login, text_of

LONG_NAME = "上海市浦东新区陆家嘴金融贸易区联合物业服务管理有限责任公司第一分公司物业管理处一"


def _actor(name: str) -> Actor:
    return Actor(user_id=1, identity_id=1, username="qyjb", real_name="王芳", role="enterprise_operator",
                 organisation_id=1, organisation_name=name, organisation_kind="enterprise", district_id=None)


def test_a_short_name_is_shown_whole():
    assert who_line(_actor("安居物业"), 78) == "用户：王芳（qyjb）　单位：安居物业　角色：企业经办人"


def test_a_long_name_is_cut_by_cell_width_and_the_role_stays():
    line = who_line(_actor(LONG_NAME), 78)
    assert cell_len(line) <= 78
    assert line.startswith("用户：王芳（qyjb）　单位：上海市") and line.endswith("…　角色：企业经办人")
    assert who_line(_actor("A" * 40), 78).endswith("A…　角色：企业经办人")


def test_a_very_narrow_line_keeps_the_user():
    line = who_line(_actor(LONG_NAME), 30)
    assert cell_len(line) <= 30 and line.startswith("用户：王芳（qyjb）")


async def test_the_header_fits_at_80_columns(make_app, build):
    assert len(LONG_NAME) == 40
    org = build.organisation(name=LONG_NAME)
    build.user("qyjb", roles=(("enterprise_operator", org.id),), real_name="王芳")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        header = text_of(app, "#who")
        assert header.endswith("…　角色：企业经办人") and "用户：王芳（qyjb）" in header
        assert cell_len(header) <= 78
        await pilot.resize_terminal(140, 24)
        await pilot.pause()
        assert text_of(app, "#who").endswith(f"单位：{LONG_NAME}　角色：企业经办人")
