"""Printing from a screen: the PDF is made in a thread worker, handed to the clerk and the place
it went is shown.

What a screen calls (on the UI thread, e.g. from a key's action):

    from screens.common.deliver import start_print
    start_print(self, "sign-sheet", order_id)  # or "task-order", "arrears"

It runs `services.printing.documents.print_document` through `tui.calls.run` (group "print"; one print
at a time), shows a progress line at the foot of the screen while a big table is built, then
delivers the file and notifies the clerk of its path; a ServiceError — e.g. 该任务单没有余额不足的
房屋，无需打印欠款催缴通知单 — becomes an error notification. `start_reprint(self, serial_no)` does
the same for 补打.

A screen with its own thread worker can call the two steps itself:

    result = printing.print_document(app.database(), app.actor, doc_type, order_id)
    deliver_pdf(app, result)  # from the worker thread; returns the message shown

Delivery: under textual-serve the browser downloads the file through `App.deliver_binary`. In
a terminal the file is written to the downloads folder Textual would use (platformdirs'
user_downloads_path) by this module itself, because Textual 8.2.8's terminal driver cannot save
bytes: it opens a BytesIO's target in text mode (TypeError on write), and a stream typed as
BinaryIO in binary mode with an encoding (ValueError).

No print is recorded without its file (issue 9, C10): in a terminal, `start_print`/`start_reprint`
open a partial file in the downloads folder first, the printing service writes the PDF into it
inside the transaction that records the print (its `deliver` argument), and the file is renamed
to its name once that transaction has committed. An unwritable or full folder fails the write, the
transaction rolls back, and the clerk reads why. (In a browser the download cannot fail on the
server: the print is recorded, then handed over.)
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_downloads_path
from textual.app import App
from textual.screen import Screen

from services.printing import documents as printing
from models.faults import storage_fault
from services.core.errors import ServiceError
from tui import calls
from tui.widgets import PlainStatic

GROUP = "print"


class PrintProgress(PlainStatic):
    DEFAULT_CSS = """
    PrintProgress { dock: bottom; offset-y: -1; height: 1; width: 1fr; padding: 0 1; background: $primary-muted; }
    """


def downloads_dir() -> Path:
    return user_downloads_path()


def deliver_pdf(app: App, result: printing.PrintedResult) -> str:
    """Hand the PDF over and notify the clerk; call from a worker thread."""
    return deliver_bytes(app, result.pdf_bytes, result.filename, "application/pdf",
                         f"{result.label} 单据流水号 {result.serial_no}")


def deliver_bytes(app: App, data: bytes, filename: str, mime_type: str, title: str) -> str:
    """Any file (a PDF, an exported XLSX, an import error report) to the clerk, the same way:
    downloaded by the browser under textual-serve, else saved to the downloads folder; the clerk is
    notified under `title` of where it went. Call from a worker thread; returns the message shown."""
    if app.is_web:
        app.call_from_thread(app.deliver_binary, io.BytesIO(data), save_filename=filename,
                             open_method="download", mime_type=mime_type)
        message = f"已开始下载：{filename}"
    else:
        folder = downloads_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / filename
        path.write_bytes(data)
        message = f"已保存到：{path}"
    app.call_from_thread(app.notify, message, title=title, timeout=15, markup=False)
    return message


class PartialFile:
    """A file being written in `folder` under a temporary name: `write` from inside the transaction
    that records it, `finish` after the commit renames it into place; left unfinished, it is removed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path: Path | None = None
        self._file = None

    def __enter__(self) -> PartialFile:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".wxzj-", suffix=".part", dir=self.folder)
        self.path, self._file = Path(name), os.fdopen(handle, "wb")
        return self

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self._file.flush()
        os.fsync(self._file.fileno())  # a full disk shows here, before the print is recorded

    def finish(self, filename: str) -> Path:
        self._file.close()
        target = self.folder / filename
        os.replace(self.path, target)
        self.path = None
        return target

    def __exit__(self, *exc) -> None:
        if self._file is not None and not self._file.closed:
            self._file.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _os_reason(exc: OSError, folder: Path | None) -> str:
    fault = storage_fault(exc)
    if fault:
        return fault
    where = f"无法写入下载文件夹 {folder}：" if folder is not None else ""
    return f"{where}{exc.strerror or exc}"


def start_print(screen: Screen, doc_type: str, order_id: int, done: Callable[[], None] | None = None) -> None:
    """Print one document of an order (see the module docstring); `done` runs on the UI thread
    once the file is delivered."""
    _start(screen, printing.DOC_LABELS[doc_type],
           lambda db, actor, progress, deliver: printing.print_document(db, actor, doc_type, order_id,
                                                                        progress=progress, deliver=deliver),
           done)


def start_reprint(screen: Screen, serial_no: str, label: str, done: Callable[[], None] | None = None) -> None:
    """补打 the printed document `serial_no`; `label` names it on the progress line, `done` runs
    on the UI thread once the file is delivered."""
    _start(screen, label,
           lambda db, actor, progress, deliver: printing.reprint(db, actor, serial_no, progress=progress,
                                                                 deliver=deliver), done)


def start_unit_application_print(screen: Screen, application_no: str, done: Callable[[], None] | None = None) -> None:
    """【打印】 the 物业单位注册申请单 (BJ-05) of the applicant's application."""
    from services.printing.unit_documents import city_of, print_unit_application

    city = city_of(screen.app.profile.key)
    _start(screen, printing.ALL_DOC_LABELS["unit-application"],
           lambda db, actor, progress, deliver: print_unit_application(db, actor, application_no, city=city,
                                                                       deliver=deliver), done)


def _start(screen: Screen, label: str, produce: Callable[..., printing.PrintedResult],
           done: Callable[[], None] | None = None) -> None:
    app = screen.app
    if any(worker.group == GROUP and not worker.is_finished for worker in app.workers):
        app.notify("正在打印上一份单据，请稍候", severity="warning", markup=False)
        return
    line = PrintProgress(f"正在生成{label}……")
    screen.mount(line)

    def produce_and_deliver(db, actor, progress) -> None:
        try:
            if app.is_web:
                deliver_pdf(app, produce(db, actor, progress, None))
                return
            folder = downloads_dir()
            with PartialFile(folder) as partial:
                result = produce(db, actor, progress, partial.write)
                path = partial.finish(result.filename)
        except OSError as exc:  # the downloads folder is not writable or full, the font file is missing …
            raise ServiceError(f"打印失败：{_os_reason(exc, folder if not app.is_web else None)}") from exc
        app.call_from_thread(app.notify, f"已保存到：{path}", title=f"{result.label} 单据流水号 {result.serial_no}",
                             timeout=15, markup=False)

    def delivered(_) -> None:
        line.remove()
        if done:
            done()

    def failed(error: ServiceError) -> None:
        line.remove()
        if not isinstance(error, calls.UnexpectedError):  # that one has had its notification
            app.notify(error.message, severity="error", markup=False)

    calls.run(screen, produce_and_deliver, done=delivered, failed=failed, group=GROUP, exclusive=False,
              progress=lambda done, total: line.set_text(f"正在生成{label}…… {done} / {total} 户"))
