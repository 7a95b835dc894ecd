"""Choosing a file at the terminal: a directory tree that lists only the allowed kinds, and a path typed
directly. The picker only chooses; the content is checked by a service (services.core.attachments).

    from screens.common.file_picker import FilePickerDialog
    self.app.push_screen(FilePickerDialog("添加附件：物业服务合同", (".pdf", ".jpg", ".jpeg", ".png")), self._picked)

`_picked` receives the chosen Path, or None when the clerk pressed Esc. With `check=service`, the picker
runs `service(db, actor, path)` through tui.calls before it closes: a ServiceError stays in the picker as
its message (the clerk picks another file) and the dialog returns the service's result instead of the
path — e.g. `check=partial(attachments_service.stage, store, ATTACHMENT_TYPES)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DirectoryTree, Input, Static

from services.core.errors import ServiceError
from tui import calls
from tui.screens_base import LeanModalScreen
from tui.text import safe
from tui.widgets import CompactInput, LeanFooter, PlainStatic


class FilteredTree(DirectoryTree):
    """Directories and the files whose name ends in one of `extensions`; hidden entries left out."""

    def __init__(self, path: Path, extensions: tuple[str, ...], **kwargs) -> None:
        self.extensions = tuple(e.lower() for e in extensions)
        super().__init__(path, **kwargs)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or (path.suffix.lower() in self.extensions and path.is_file()):
                    shown.append(path)
            except OSError:  # a dangling link or an unreadable entry is simply not offered
                continue
        return shown


class FilePickerDialog(LeanModalScreen[Any]):
    DEFAULT_CSS = """
    FilePickerDialog { align: center middle; }
    FilePickerDialog > Vertical { width: 100%; height: 100%; border: solid $primary; padding: 0 1; }
    FilePickerDialog .picker-title { height: 1; text-style: bold; }
    FilePickerDialog .hint { height: auto; color: $text-muted; }
    FilePickerDialog Horizontal { height: 1; }
    FilePickerDialog .field-label { width: 6; }
    FilePickerDialog CompactInput { width: 1fr; }
    FilePickerDialog #picker-message { height: auto; color: $error; }
    FilePickerDialog FilteredTree { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "取消", id="files.cancel"),
        Binding("f3", "parent", "上级目录", id="files.parent"),
        Binding("f4", "home", "主目录", id="files.home"),
        Binding("f6", "switch", "路径/目录", id="files.switch"),
    ]

    def __init__(self, title: str, extensions: tuple[str, ...], *, start: Path | None = None,
                 check: Callable[..., Any] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.extensions = extensions
        self.start = _usable_dir(start) or _usable_dir(Path.cwd()) or Path.home()
        self.check = check
        self.busy = False

    def compose(self) -> ComposeResult:
        kinds = "/".join(sorted({e.lstrip(".").upper() for e in self.extensions} - {"JPEG"}))
        with Vertical():
            yield Static(safe(self.title_text), classes="picker-title")
            yield Static(f"目录中只列出 {kinds} 文件；↑↓ 选择，Enter 选定或展开目录；也可在“路径”中直接输入后按 Enter",
                         classes="hint", markup=False)
            with Horizontal():
                yield Static("路径", classes="field-label", markup=False)
                yield CompactInput(id="path", value=str(self.start), max_length=1000)
            yield PlainStatic("", id="picker-message")
            yield FilteredTree(self.start, self.extensions, id="tree")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#tree", FilteredTree).focus()

    @property
    def tree(self) -> FilteredTree:
        return self.query_one("#tree", FilteredTree)

    def say(self, message: str) -> None:
        self.query_one("#picker-message", PlainStatic).set_text(message)

    def _reroot(self, folder: Path) -> None:
        self.tree.path = folder
        self.query_one("#path", Input).value = str(folder)
        self.say("")

    @on(Input.Submitted, "#path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.say("请输入文件的路径")
            return
        try:
            path = Path(text).expanduser()
            if not path.is_absolute():
                path = Path(self.tree.path) / path
            is_dir = path.is_dir()
        except (OSError, ValueError, RuntimeError):
            self.say("路径无效，请重新输入")
            return
        if is_dir:
            self._reroot(path)
            self.tree.focus()
        else:
            self._chosen(path)

    @on(DirectoryTree.FileSelected, "#tree")
    def _selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self._chosen(Path(event.path))

    def _chosen(self, path: Path) -> None:
        if self.check is None:
            self.dismiss(path)
            return
        if self.busy:
            return
        self.busy = True
        self.say(f"正在检查 {path.name} ……")
        calls.run(self, self.check, path, done=self._checked, failed=self._refused, group="file-check")

    def _checked(self, result: Any) -> None:
        self.busy = False
        self.dismiss(result)

    def _refused(self, error: ServiceError) -> None:
        self.busy = False
        self.say(error.message)

    def show_error(self, error: ServiceError) -> None:
        self._refused(error)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_parent(self) -> None:
        current = Path(self.tree.path)
        if current.parent != current:
            self._reroot(current.parent)

    def action_home(self) -> None:
        self._reroot(Path.home())

    def action_switch(self) -> None:
        target = self.tree if self.query_one("#path", Input).has_focus else self.query_one("#path", Input)
        target.focus()


def _usable_dir(path: Path | None) -> Path | None:
    try:
        return path if path is not None and path.is_dir() else None
    except OSError:
        return None
