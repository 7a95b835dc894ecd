"""The host's print worker (services.printing.print_server): the first print starts it and prints in a child of
its own, later prints are forked from it with the same PDF, the same refusal and progress; it leaves when asked,
when its socket goes, and WXZJ_PRINT_SERVER=off keeps it away."""

import os
import shutil
import socket
import stat
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

from reports import SIGN_SHEET, TASK_ORDER
from reports.fonts import UnprintableCharacter
from services.printing import print_server
from services.printing.render_child import _in_child, render_elsewhere
from tests.report_samples import STAMP, sample_lines, sample_order


def _wait_for(condition, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def data_dir(monkeypatch):
    folder = Path(tempfile.mkdtemp(prefix="wxzj-ps-"))  # short: a socket's path has room for 107 bytes
    monkeypatch.setenv("WXZJ_DATA_DIR", str(folder))
    monkeypatch.setenv(print_server.ENV, "on")
    yield folder
    print_server.stop(print_server.socket_path())
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def worker(data_dir):
    path = print_server.socket_path()
    print_server.start(path)
    _wait_for(path.with_suffix(".pid").exists)
    return path


def _request(doc_type, data) -> bytes:
    import json
    from dataclasses import asdict

    from services.printing.render_child import _codec

    return json.dumps({"doc_type": doc_type, "data": _codec(doc_type)[0](data), "stamp": asdict(STAMP),
                       "font_cache": None}, ensure_ascii=False).encode("utf-8")


def _plain(doc_type, data) -> bytes:
    return _in_child(_request(doc_type, data), None)


def test_the_first_print_starts_the_worker_and_the_next_one_uses_it(data_dir):
    data = sample_order(sample_lines(8))
    path = print_server.socket_path()
    assert not path.exists()
    first = render_elsewhere(TASK_ORDER, data, STAMP)  # in a child of its own, and a worker on its way
    _wait_for(path.with_suffix(".pid").exists)
    pid = int(path.with_suffix(".pid").read_text())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = render_elsewhere(TASK_ORDER, data, STAMP)
    assert first == second == _plain(TASK_ORDER, data)
    assert int(path.with_suffix(".pid").read_text()) == pid  # the same worker still


def test_the_worker_sends_progress_and_refuses_what_no_font_has(worker):
    heard = []
    data = sample_order(sample_lines(30))
    pdf = print_server.render(worker, _request(SIGN_SHEET, data), lambda d, t: heard.append((d, t)))
    assert pdf == _plain(SIGN_SHEET, data)
    assert heard and heard[-1][0] == heard[-1][1]
    with pytest.raises(UnprintableCharacter) as caught:
        render_elsewhere(TASK_ORDER, replace(sample_order(), project_name="项目\U0001FAE8"), STAMP)
    assert (caught.value.char, caught.value.field) == ("\U0001FAE8", "project_name")


def test_one_worker_per_socket(worker):
    pid = worker.with_suffix(".pid").read_text()
    print_server.start(worker)  # refused by the lock the running worker holds
    print_server.serve(worker)  # the same, in this process: returns at once
    assert worker.with_suffix(".pid").read_text() == pid and worker.exists()


def test_the_worker_leaves_when_its_socket_is_removed(worker):
    pid = int(worker.with_suffix(".pid").read_text())
    worker.unlink()
    _wait_for(lambda: not worker.with_suffix(".pid").exists())
    with pytest.raises(print_server.Unavailable):
        print_server.render(worker, b"{}", None)
    _wait_for(lambda: not _alive(pid))


def _alive(pid: int) -> bool:
    return not print_server._gone(pid)


def test_stop_ends_the_worker(worker):
    pid = int(worker.with_suffix(".pid").read_text())
    assert print_server.stop(worker)
    _wait_for(lambda: not _alive(pid))
    assert not worker.exists()


def test_off_keeps_every_print_in_a_child_of_its_own(data_dir, monkeypatch):
    monkeypatch.setenv(print_server.ENV, "off")
    render_elsewhere(TASK_ORDER, sample_order(sample_lines(4)), STAMP)
    assert not (data_dir / "run").exists()


def test_without_the_setting_every_print_is_a_child_of_its_own(data_dir, monkeypatch):
    monkeypatch.delenv(print_server.ENV)
    render_elsewhere(TASK_ORDER, sample_order(sample_lines(4)), STAMP)
    assert not (data_dir / "run").exists()


@pytest.mark.skipif(os.getuid() != 0, reason="another account's process needs root to make")
def test_a_socket_another_account_serves_is_never_sent_a_document(data_dir):
    # In a shared data directory another clerk's process could bind the socket's name first and read
    # every document sent to it.
    path = print_server.socket_path()
    os.chmod(data_dir, 0o755)
    path.parent.mkdir()
    os.chmod(path.parent, 0o777)
    ready_r, ready_w = os.pipe()
    heard_r, heard_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the other account: binds the name, keeps whatever it is sent
        try:
            os.setgid(65534)
            os.setuid(65534)
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(str(path))
            os.chmod(path, 0o777)
            server.listen(1)
            os.write(ready_w, b"1")
            server.settimeout(30)
            conn, _ = server.accept()
            conn.settimeout(2)
            try:
                os.write(heard_w, conn.recv(65536) or b"")
            except OSError:
                pass
        finally:
            os._exit(0)
    os.close(ready_w)
    os.close(heard_w)
    assert os.read(ready_r, 1) == b"1"
    pdf = render_elsewhere(TASK_ORDER, sample_order(sample_lines(4)), STAMP)
    os.waitpid(pid, 0)
    assert pdf.startswith(b"%PDF")
    assert os.read(heard_r, 65536) == b""
    assert not path.with_suffix(".pid").exists()  # and no worker of ours was started in that folder


@pytest.mark.skipif(os.getuid() != 0, reason="another account's folder needs root to make")
def test_another_accounts_run_folder_leaves_printing_to_children(data_dir):
    path = print_server.socket_path()
    path.parent.mkdir(mode=0o700)
    os.chown(path.parent, 65534, 65534)
    print_server.start(path)
    assert list(path.parent.iterdir()) == []
    assert render_elsewhere(TASK_ORDER, sample_order(sample_lines(4)), STAMP).startswith(b"%PDF")


def test_prints_at_the_same_moment_each_get_their_own_pdf(worker):
    # The forked children share whatever the worker opened: a font file read lazily through one shared
    # offset made two children reading at once get each other's bytes ("unexpected end of 'GPOS' table").
    from concurrent.futures import ThreadPoolExecutor

    orders = [sample_order(sample_lines(6 + i)) for i in range(4)]
    expected = [_plain(TASK_ORDER, data) for data in orders]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda i: print_server.render(worker, _request(TASK_ORDER, orders[i % 4]), None),
                            range(16)))
    assert got == [expected[i % 4] for i in range(16)]


def test_the_worker_holds_its_font_in_memory_not_in_an_open_file(tmp_path, monkeypatch):
    import io

    from reports import font_cache
    from reports.frame import font_path

    monkeypatch.setattr(font_cache, "directory", tmp_path)
    monkeypatch.setattr(font_cache, "opened", {})
    print_server._warm_up()
    font = font_cache.opened[font_path()]
    assert isinstance(font.reader.file, io.BytesIO)
