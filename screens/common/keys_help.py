"""F1: the keys of the screen underneath, its own first, then the ones that work everywhere."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.keys import KeyAction
from tui.screens_base import LeanModalScreen
from tui.widgets import PlainStatic

KEY_COLUMN = 16


def _line(action: KeyAction) -> str:
    pad = max(1, KEY_COLUMN - cell_len(action.keys))
    return f"{action.keys}{' ' * pad}{action.description}" + ("" if action.enabled else "（此时不可用）")


class KeysHelpDialog(LeanModalScreen[None]):
    """Built from the active bindings of the screen it was opened on (taken before it opens)."""

    DEFAULT_CSS = """
    KeysHelpDialog { align: center middle; }
    KeysHelpDialog > Vertical { width: 64; height: auto; max-height: 100%; border: solid $primary; padding: 0 1; }
    KeysHelpDialog .help-title { height: 1; text-style: bold; text-align: center; width: 1fr; }
    KeysHelpDialog .help-section { height: 1; text-style: bold; padding-top: 0; }
    KeysHelpDialog VerticalScroll { height: auto; max-height: 18; }
    KeysHelpDialog .keys { height: 2; padding-top: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape,enter", "close", "关闭", id="keys_help.close")]

    def __init__(self, actions: list[KeyAction]) -> None:
        super().__init__()
        self.own = [a for a in actions if a.own]
        self.common = [a for a in actions if not a.own]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("按键说明", classes="help-title", markup=False)
            with VerticalScroll(id="help-keys"):
                yield Static("本界面", classes="help-section", markup=False)
                for action in self.own:
                    yield PlainStatic(_line(action), classes="help-line own")
                if not self.own:
                    yield Static("（本界面没有专用按键）", markup=False)
                yield Static("全局", classes="help-section", markup=False)
                for action in self.common:
                    yield PlainStatic(_line(action), classes="help-line common")
                yield PlainStatic(f"{'Tab / Shift+Tab':<{KEY_COLUMN}}下一项 / 上一项", classes="help-line common")
            yield Static("Esc/F1/Enter 关闭　　↑ ↓ 翻看　　Ctrl+P 按名称查找并执行", classes="keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    def action_close(self) -> None:
        self.dismiss(None)
