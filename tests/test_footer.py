"""The screens' footer (tui.footer): one widget that draws the bottom line as Textual's Footer does."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input

import tui.app  # noqa: F401  (the app's Textual hooks, as the running app has them)
from tests.pilot import wait_for
from tui.widgets import LeanFooter

KEYS = [Binding("f2", "new", "新建任务单"), Binding("f3", "view", "查看"), Binding("f4", "cancel", "撤销申请"),
        Binding("f5", "print", "打印任务单"), Binding("f6", "sign", "打印签字表"), Binding("f7", "notice", "打印催交通知"),
        Binding("f8", "export", "导出"), Binding("escape", "back", "返回"), Binding("f9", "hidden", "不显示", show=False)]


def _app(footer, keys: int):
    class Keys(Screen):
        BINDINGS = KEYS[:keys] + KEYS[-1:]

        def __init__(self) -> None:
            super().__init__()
            self.done: list[str] = []
            self.can_cancel = False

        def compose(self):
            yield Input(id="one")
            yield Input(id="two")
            yield footer()

        def check_action(self, action, parameters):
            return None if action == "cancel" and not self.can_cancel else True  # None: shown, dimmed

        def action_new(self) -> None:
            self.done.append("new")

        def action_cancel(self) -> None:
            self.done.append("cancel")

    class KeysApp(App):
        CSS_PATH = "../tui/wxzj.tcss"
        COMMAND_PALETTE_BINDING = "ctrl+p"
        BINDINGS = [Binding("ctrl+p", "command_palette", "命令", show=False, priority=True)]

        def on_mount(self) -> None:
            self.push_screen(Keys())

    return KeysApp()


async def _bottom_line(footer, keys: int, width: int = 80) -> list[tuple[str, str]]:
    app = _app(footer, keys)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query(footer) and app.screen.query_one(footer).size.width)
        await pilot.pause(0.2)
        strip = app.screen._compositor.render_strips()[-1]
        return [(char, str(segment.style)) for segment in strip for char in segment.text]


async def test_the_line_is_textuals_footer_cell_for_cell():
    for keys, width in ((2, 80), (8, 80), (8, 40)):  # room to spare; cut under the palette key; narrow
        ours, textuals = await _bottom_line(LeanFooter, keys, width), await _bottom_line(Footer, keys, width)
        assert "".join(c for c, _ in ours) == "".join(c for c, _ in textuals)
        assert ours == textuals


async def test_a_click_on_a_key_is_that_key_and_a_disabled_one_only_rings():
    app = _app(LeanFooter, 8)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause(0.2)
        await pilot.click(LeanFooter, offset=(2, 0))  # " f2 新建任务单 "
        assert screen.done == ["new"]
        line = "".join(segment.text for segment in screen._compositor.render_strips()[-1])
        f4 = cell_len(line[:line.index("f4")])  # cells, not characters: the keys before are Chinese
        await pilot.click(LeanFooter, offset=(f4, 0))
        assert screen.done == ["new"]  # 撤销申请 is disabled here
        screen.can_cancel = True
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.click(LeanFooter, offset=(f4, 0))
        assert screen.done == ["new", "cancel"]


async def test_the_line_is_redrawn_only_when_the_keys_change(monkeypatch):
    app = _app(LeanFooter, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        footer = app.screen.query_one(LeanFooter)
        await pilot.pause(0.2)
        redraws = []
        monkeypatch.setattr(footer, "refresh", lambda *a, **k: redraws.append(1))
        await pilot.press("tab")  # to the other input: the same keys
        await pilot.pause()
        assert redraws == []
        app.screen.can_cancel = True  # 撤销申请 enabled: the line changes
        app.screen.refresh_bindings()
        assert await wait_for(pilot, lambda: redraws)
