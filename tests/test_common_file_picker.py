"""The file picker at 80×24: the tree lists only the allowed kinds, a typed path works, and with a check the
service's refusal stays in the picker."""

from functools import partial

from textual.app import App

from screens.common.file_picker import FilePickerDialog, FilteredTree
from services.core import attachments as att
from tests.files import pdf_bytes, write
from tests.pilot import settle, type_text, wait_for


class Host(App[None]):
    def __init__(self, dialog: FilePickerDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.actor = object()
        self.result = "unset"

    def database(self):
        return None

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self._done)

    def _done(self, value) -> None:
        self.result = value


def _labels(tree: FilteredTree) -> list[str]:
    return [str(node.label) for node in tree.root.children]


async def _loaded(pilot, tree: FilteredTree) -> None:
    assert await wait_for(pilot, lambda: tree.root.children)
    await settle(pilot)


async def test_tree_shows_only_allowed_kinds_and_enter_picks(tmp_path):
    write(tmp_path, "合同.pdf", pdf_bytes())
    write(tmp_path, "notes.txt", b"x")
    write(tmp_path, ".hidden.pdf", pdf_bytes())
    write(tmp_path / "sub", "scan.PNG", b"\x89PNG\r\n\x1a\n")
    app = Host(FilePickerDialog("添加附件", (".pdf", ".png"), start=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one(FilteredTree)
        await _loaded(pilot, tree)
        assert _labels(tree) == ["sub", "合同.pdf"]
        await pilot.press("down", "enter")  # the first entry is the folder: it opens, the picker stays
        await settle(pilot)
        assert app.screen is app.dialog
        await pilot.press("down", "enter")  # sub/scan.PNG
        await settle(pilot)
    assert app.result == tmp_path / "sub" / "scan.PNG"


async def test_a_typed_path_folder_reroots_and_file_is_chosen(tmp_path):
    write(tmp_path / "a", "x.pdf", pdf_bytes())
    app = Host(FilePickerDialog("添加附件", (".pdf",), start=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")  # to the path field
        path_input = app.screen.query_one("#path")
        assert path_input.has_focus
        path_input.value = ""
        await type_text(pilot, str(tmp_path / "a"))
        await pilot.press("enter")
        await settle(pilot)
        tree = app.screen.query_one(FilteredTree)
        assert tree.path == tmp_path / "a"
        await pilot.press("f3")  # up again
        assert tree.path == tmp_path
        await pilot.press("f6")
        path_input.value = ""
        await type_text(pilot, "a/x.pdf")  # relative to the folder shown
        await pilot.press("enter")
        await settle(pilot)
    assert app.result == tmp_path / "a" / "x.pdf"


async def test_with_a_check_a_refused_file_keeps_the_picker_open(tmp_path):
    write(tmp_path, "fake.pdf", "文本".encode())
    write(tmp_path, "real.pdf", pdf_bytes())
    store = att.AttachmentStore(tmp_path / "store")
    app = Host(FilePickerDialog("添加附件", (".pdf",), start=tmp_path, check=partial(att.stage, store=store)))
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one(FilteredTree)
        await _loaded(pilot, tree)
        assert _labels(tree) == ["fake.pdf", "real.pdf"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is app.dialog
        assert "不是 PDF" in str(app.screen.query_one("#picker-message").render())
        await pilot.press("down", "enter")
        await settle(pilot)
    assert isinstance(app.result, att.StagedFile) and app.result.filename == "real.pdf"
    assert store.has(app.result.sha256)


async def test_escape_cancels(tmp_path):
    app = Host(FilePickerDialog("添加附件", (".pdf",), start=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await settle(pilot)
    assert app.result is None
