"""The attachments step of 物业区域关联: the required materials, files added one by one through the file
picker (checked by content and size, then kept in the attachment store), or 跳过 (the paper goes to the
district department). Dismisses with the Submitted result, or None when the clerk goes back."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from screens.common.dialogs import ConfirmDialog
from screens.common.file_picker import FilePickerDialog
from services.core import attachments as att
from services.core.errors import ServiceError
from services.estate import association as assoc
from tui import calls
from tui.screens_base import LeanScreen
from tui.table import Table
from tui.widgets import LeanFooter, PlainStatic


class AttachmentsScreen(LeanScreen["assoc.Submitted | None"]):
    DEFAULT_CSS = """
    AttachmentsScreen DataTable { height: 1fr; }
    AttachmentsScreen #files-message { height: auto; }
    """
    BINDINGS = [
        Binding("f2,plus", "add", "添加附件", id="association.add_file"),
        Binding("delete", "remove", "删除附件", id="association.remove_file"),
        Binding("f3", "skip", "跳过", id="association.skip"),
        Binding("f5", "submit", "提交", id="association.submit_files"),
        Binding("escape", "back", "返回", id="association.files_back"),
    ]

    def __init__(self, communities: list[assoc.CommunityChoice]) -> None:
        super().__init__()
        self.communities = communities
        self.files: list[tuple[str, att.StagedFile]] = []
        self.busy = False

    @property
    def store(self) -> att.AttachmentStore:
        return att.AttachmentStore.under(self.app.config.data_dir)

    def compose(self) -> ComposeResult:
        yield Static("物业区域关联 — 添加附件", classes="title", markup=False)
        names = "、".join(c.name for c in self.communities)
        yield PlainStatic(f"关联小区（{self.communities[0].district}）：{names}", classes="hint")
        yield PlainStatic("根据附件要求逐个添加附件（PDF/JPG/PNG，单个不超过 20 MB）；也可 F3 跳过，"
                          "持实体材料至所在区的管理部办理", classes="hint")
        table = Table(id="files", cursor_type="row", zebra_stripes=False)
        table.add_columns("附件要求", "文件", "大小")
        yield table
        yield PlainStatic("", id="files-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self._redraw()
        self.query_one(DataTable).focus()

    def _rows(self) -> list[tuple[str, att.StagedFile | None]]:
        rows: list[tuple[str, att.StagedFile | None]] = []
        for material in assoc.MATERIALS:
            mine = [f for kind, f in self.files if kind == material]
            rows += [(material, f) for f in mine] or [(material, None)]
        return rows

    def _redraw(self, cursor: int | None = None) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row if cursor is None else cursor
        table.clear()
        for material, staged in self._rows():
            table.add_row(material, staged.filename if staged else "（未添加）",
                          att.size_text(staged.size) if staged else "")
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def say(self, message: str) -> None:
        self.query_one("#files-message", PlainStatic).set_text(message)

    def show_error(self, error: ServiceError) -> None:
        self.busy = False
        self.say(error.message)

    def _current(self) -> tuple[str, att.StagedFile | None]:
        rows = self._rows()
        return rows[min(max(self.query_one(DataTable).cursor_row, 0), len(rows) - 1)]

    def action_add(self) -> None:
        material, _ = self._current()
        check = partial(att.stage, store=self.store, kinds=att.ATTACHMENT_TYPES)
        picker = FilePickerDialog(f"添加附件：{material}", att.extensions_of(att.ATTACHMENT_TYPES), check=check)
        self.app.push_screen(picker, partial(self._added, material))

    def _added(self, material: str, staged: att.StagedFile | None) -> None:
        if staged is None:
            return
        self.files.append((material, staged))
        self._redraw(cursor=[i for i, (m, f) in enumerate(self._rows()) if f is staged][0])
        self.say(f"已添加 {material}：{staged.filename}（{att.size_text(staged.size)}）")

    def action_remove(self) -> None:
        material, staged = self._current()
        if staged is None:
            self.say("该项尚未添加附件")
            return
        self.files = [(m, f) for m, f in self.files if f is not staged]
        self._redraw()
        self.say(f"已删除 {material}：{staged.filename}")

    def action_skip(self) -> None:
        if self.files:
            self.say("已添加附件，不能再选择跳过；如需跳过请先删除附件（Delete）")
            return
        self.app.push_screen(ConfirmDialog("选择跳过的，需持实体材料至所在区的管理部办理。\n确定跳过上传附件并提交吗？"),
                             lambda yes: yes and self._submit(paper=True))

    def action_submit(self) -> None:
        self._submit(paper=False)

    def _submit(self, *, paper: bool) -> None:
        if self.busy:
            return
        self.busy = True
        self.say("正在提交 ……")
        ids = [c.community_id for c in self.communities]
        calls.run(self, assoc.submit, ids, list(self.files), store=self.store, paper=paper, done=self._done,
                  group="submit")

    def _done(self, result: assoc.Submitted) -> None:
        self.busy = False
        self.dismiss(result)

    def action_back(self) -> None:
        self.dismiss(None)
