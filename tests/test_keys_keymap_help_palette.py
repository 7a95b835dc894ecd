"""Keys a clerk can find and change: `[keymap]` in the config, F1's list, and every action in Ctrl+P."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from screens.common.keys_help import KeysHelpDialog
from screens.identity.change_password import ChangePasswordScreen
from screens.shell.home import HomeScreen
from screens.task_orders.community_select import CommunitySelectScreen
from screens.task_orders.home import TaskOrderHomeScreen
from services.demo.accounts import DEMO_PASSWORD
from tests.pilot import login, settle, type_text, wait_for
from tests.test_task_order_flow import open_order_home
from tui.config import ConfigError, load_config
from tui.keys import known_binding_ids, parse_keymap

ROOT = Path(__file__).resolve().parent.parent
SIZE = (80, 24)


def _bindings_in_source():
    """Every Binding(...) call in tui/ and screens/, with its id keyword (or None)."""
    for path in sorted([*ROOT.glob("tui/*.py"), *ROOT.glob("screens/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                ids = [k.value.value for k in node.keywords if k.arg == "id" and isinstance(k.value, ast.Constant)]
                yield path.relative_to(ROOT), node.lineno, ids[0] if ids else None


def test_every_binding_has_an_area_action_id_used_once():
    bindings = list(_bindings_in_source())
    assert len(bindings) > 100
    assert [(str(p), n) for p, n, i in bindings if i is None] == []
    ids = [i for _p, _n, i in bindings]
    assert len(ids) == len(set(ids))
    assert set(ids) <= known_binding_ids()


def _config(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config({"HOME": str(tmp_path), "WXZJ_CONFIG": str(path)})


def test_a_keymap_table_in_the_config_file_is_read(tmp_path):
    config = _config(tmp_path, '[keymap]\n"task_orders.new_order" = "f2, ctrl+n"\n"app.help" = "f12"\n')
    assert config.keymap == {"task_orders.new_order": "f2,ctrl+n", "app.help": "f12"}
    assert _config(tmp_path, 'profile = "beijing"\n').keymap == {}


@pytest.mark.parametrize("text,message", [
    ('keymap = "f2"\n', "应为一个表"),
    ('[keymap]\n"neworder" = "f2"\n', "名称格式不对"),
    ('[keymap]\n"task_orders.new_order" = 2\n', "应为用逗号分隔的按键"),
    ('[keymap]\n"task_orders.new_order" = ""\n', "应为用逗号分隔的按键"),
    ('[keymap]\n"task_orders.new_order" = "f2,,f3"\n', "无法识别"),
    ('[keymap]\n"task_orders.new_order" = "ctl+n"\n', r"无法识别：ctl\+n"),
    ('[keymap]\n"task_orders.new_order" = "f99"\n', "无法识别：f99"),
    ('[keymap]\n"task_orders.new_ordr" = "f2"\n', "不存在的按键名称：task_orders.new_ordr"),
])
def test_a_bad_keymap_entry_is_a_clear_config_error(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as raised:
        _config(tmp_path, text)
    assert "[keymap]" in str(raised.value)


def test_key_names_textual_knows_are_accepted():
    keymap = parse_keymap({"task_orders.view": "question_mark,?,ctrl+shift+f3,space,pagedown,a,A"})
    assert keymap["task_orders.view"] == "question_mark,?,ctrl+shift+f3,space,pagedown,a,A"


async def test_a_remapped_key_opens_the_community_picker(make_demo_app, tmp_path):
    keymap = _config(tmp_path, '[keymap]\n"task_orders.new_order" = "ctrl+n"\n').keymap
    app = make_demo_app(keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f2")  # no longer 新建任务单
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderHomeScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CommunitySelectScreen)


def _help_lines(app) -> tuple[list[str], list[str]]:
    own = [str(w.render()) for w in app.screen.query(".help-line.own")]
    common = [str(w.render()) for w in app.screen.query(".help-line.common")]
    return own, common


async def test_f1_lists_the_screens_own_keys_first_in_chinese(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, KeysHelpDialog)
        own, common = _help_lines(app)
        assert own[0].split() == ["F2", "新建任务单"]
        assert any(line.split() == ["F7", "/", "Esc", "上一步"] for line in own) is False  # not this screen's
        assert any("到户支取详细信息" in line for line in own) and any("返回" in line for line in own)
        assert any("按键说明" in line for line in common) and any("退出程序" in line for line in common)
        everything = "\n".join(own + common)
        assert "Cursor" not in everything and "Copy" not in everything
        lines = [str(w.render()) for w in app.screen.query(".help-line, .help-section")]
        assert lines.index("本界面") < lines.index(own[0]) < lines.index("全局") < lines.index(common[0])
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderHomeScreen)


async def test_f1_follows_a_remapped_key(make_demo_app):
    app = make_demo_app(keymap={"task_orders.new_order": "ctrl+n"})
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f1")
        await settle(pilot)
        own, _common = _help_lines(app)
        assert own[0].split() == ["Ctrl+N", "新建任务单"]


async def test_ctrl_p_on_the_order_home_lists_and_runs_its_actions(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        palette = app.screen
        assert palette.__class__.__name__ == "CommandPalette"
        assert await wait_for(pilot, lambda: _palette_entries(app) and "新建任务单" in _palette_entries(app))
        entries = _palette_entries(app)
        for label in ("查看", "到户支取详细信息", "撤销选中任务单", "打印任务单", "草稿", "业主表决", "返回", "按键说明"):
            assert label in entries
        assert entries.count("导出Excel") == 1  # listed by the export's own provider, not twice
        await type_text(pilot, "新建任务单")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CommunitySelectScreen)


def _palette_entries(app) -> str:
    from textual.widgets import OptionList

    try:
        options = app.screen.query_one(OptionList)
    except Exception:
        return ""
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def test_ctrl_p_on_home_lists_the_functions_and_logout_once(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p")
        assert await wait_for(pilot, lambda: "修改密码" in _palette_entries(app))
        entries = _palette_entries(app)
        assert entries.count("退出登录") == 1 and "商品房维修支取申请" in entries
        await type_text(pilot, "修改密码")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChangePasswordScreen)


async def test_f1_on_a_popup_lists_the_popups_keys_then_the_global_ones(make_demo_app):
    from screens.common.dialogs import ConfirmDialog

    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        app.push_screen(ConfirmDialog("撤销选中的任务单？"))
        await settle(pilot)
        await pilot.press("f1")  # a modal's keys stop at the modal: F1 is an app priority key
        await settle(pilot)
        assert isinstance(app.screen, KeysHelpDialog)
        own, common = _help_lines(app)
        assert [line.split() for line in own] == [["y", "/", "Enter", "确定"], ["n", "/", "Esc", "取消"]]
        assert any("退出程序" in line for line in common) and not any("新建任务单" in line for line in common)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)


def test_the_command_line_refuses_a_bad_keymap_with_the_entry_named(tmp_path, monkeypatch, capsys):
    from tui import cli

    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"task_orders.new_order" = "ctrl+"\n', encoding="utf-8")
    monkeypatch.setenv("WXZJ_CONFIG", str(path))
    monkeypatch.setenv("WXZJ_DATA_DIR", str(tmp_path))
    assert cli.main(["check"]) == 2
    error = capsys.readouterr().err
    assert "task_orders.new_order" in error and "无法识别" in error and "Traceback" not in error
