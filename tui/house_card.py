"""The house card (房屋卡片): one house's number, use, area, owner and money, over the house grid.

A pushed modal screen repaints the whole terminal when it opens and again when it closes
(26-46 KB at 80×24). This card is a widget on the screen's overlay instead, invisible until shown:
showing it paints only its own box and hiding it repaints only what the box covered. It is
hidden with `visibility`, not `display`: a widget entering the layout shifts the paint order of
its siblings, and Textual then repaints every one of them.
"""

from __future__ import annotations

from rich.cells import set_cell_size
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from services.estate.grid_model import HouseCardData
from services.core.money import format_area, format_fen
from tui.textual_hooks import NoFocusRepaint, quiet_focus
from tui.text import clean

LABEL_WIDTH = 13  # widest label, 建筑面积(㎡) or 可用余额(元), is 12 cells
WIDTH = 48
HEIGHT = 10  # 8 lines and the border


def card_text(data: HouseCardData) -> Text:
    """The card's lines; every value, owner names included, literally as stored."""
    rows = [
        ("房屋编号", data.room_label),
        ("用途", data.use),
        ("建筑面积(㎡)", format_area(data.area)),
        ("业主", data.owner_name),
        ("余额(元)", format_fen(data.balance_fen)),
        ("冻结(元)", format_fen(data.frozen_fen)),
        ("可用余额(元)", format_fen(data.available_fen)),
        ("分摊范围", "已保存" if data.saved else "未保存"),
    ]
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    for index, (label, value) in enumerate(rows):
        if index:
            text.append("\n")
        text.append(set_cell_size(label, LABEL_WIDTH), style="bold")
        text.append(clean(value).replace("\n", " ").replace("\t", " "))
    return text


class _CardMessage(Message):
    def __init__(self, card: HouseCard) -> None:
        super().__init__()
        self.card = card

    @property
    def control(self) -> HouseCard:
        return self.card


class _HouseRequest(_CardMessage):
    # Save and remove are siblings, never one a subclass of the other: a handler for the one
    # must not receive the other.
    def __init__(self, card: HouseCard, house_id: int) -> None:
        super().__init__(card)
        self.house_id = house_id


@quiet_focus
class HouseCard(NoFocusRepaint, Static, can_focus=True):
    """Show with `show(data)`; F2 asks to save the house in scope, F3 to take it out, Escape closes.

    The screen answers the requests (services, then `show` again with fresh data, or `hide`).
    """

    BINDINGS = [
        Binding("f2", "save", "保存房屋", id="house_card.save"),
        Binding("f3", "remove", "取消", id="house_card.remove"),
        Binding("escape", "close", "关闭", id="house_card.close"),
    ]

    DEFAULT_CSS = f"""
    HouseCard {{
        visibility: hidden;
        overlay: screen;
        position: absolute;
        width: {WIDTH};
        height: {HEIGHT};
        padding: 0 1;
        border: round $primary;
        border-title-align: center;
        border-subtitle-align: center;
        background: $panel;
    }}
    """

    class Closed(_CardMessage):
        """The card was closed (Escape)."""

    class SaveRequested(_HouseRequest):
        """F2 (保存房屋): put the card's house in the order's scope."""

    class RemoveRequested(_HouseRequest):
        """F3 (取消): take the card's house out of the order's scope."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.data: HouseCardData | None = None
        self._return_focus: Widget | None = None
        self.border_title = "房屋卡片"
        self.border_subtitle = "F2 保存房屋  F3 取消  Esc 关闭"

    @property
    def is_open(self) -> bool:
        return self.visible

    def show(self, data: HouseCardData) -> None:
        self.data = data
        self.update(card_text(data))
        if not self.visible:
            self._return_focus = self.screen.focused
            self._center()
            self.visible = True
        self.screen.set_focus(self)

    def hide(self) -> None:
        if not self.visible:
            return
        self.visible = False
        # Screen.set_focus, not Widget.focus: that one repaints the whole widget (the grid: 3 KB).
        if self._return_focus is not None and self._return_focus.is_attached:
            self.screen.set_focus(self._return_focus)
        self._return_focus = None
        self.post_message(self.Closed(self))

    def _center(self) -> None:
        # Absolute positions count from the parent's content area; the card centres on the screen.
        screen_width, screen_height = self.screen.size
        origin = self.parent.content_region.offset
        self.styles.offset = ((screen_width - WIDTH) // 2 - origin[0], (screen_height - HEIGHT) // 2 - origin[1])

    def action_save(self) -> None:
        if self.data is not None:
            self.post_message(self.SaveRequested(self, self.data.house_id))

    def action_remove(self) -> None:
        if self.data is not None:
            self.post_message(self.RemoveRequested(self, self.data.house_id))

    def action_close(self) -> None:
        self.hide()
