"""`wxzj doctor`: each part of a server's set-up checked, with what to fix; exit 0 only when all is well."""

import importlib.util
import py_compile

import pytest

from services.ops.bytecode import SAMPLE, lean_cache_path
from tui.cli_ops import doctor_checks, run_doctor
from tui.config import Config

GOOD_ENV = {"LANG": "C.UTF-8", "TERM": "xterm"}
LEAN = "会话精简运行（PYTHONOPTIMIZE=2，字节码已预编译）"


def config_for(url: str, tmp_path) -> Config:
    return Config(database_url=url, data_dir=tmp_path / "data")


@pytest.fixture
def lean_env(tmp_path):
    """Sessions run with PYTHONOPTIMIZE=2 on bytecode compiled for it, here into a cache prefix of the test's own."""
    prefix = tmp_path / "pyc"
    for name in SAMPLE:
        source = importlib.util.find_spec(name).origin
        py_compile.compile(source, cfile=str(lean_cache_path(source, str(prefix))), optimize=2, doraise=True)
    return {**GOOD_ENV, "PYTHONOPTIMIZE": "2", "PYTHONPYCACHEPREFIX": str(prefix)}


def test_a_ready_server_passes(demo_url, tmp_path, capsys, lean_env):
    assert run_doctor(config_for(demo_url, tmp_path), lean_env) == 0
    out = capsys.readouterr().out
    assert "问题" not in out and "检查通过" in out


def test_each_problem_is_named_with_its_fix(tmp_path, capsys):
    config = Config(database_url=f"sqlite:///{tmp_path / 'missing.db'}", data_dir=tmp_path / "data")
    env = {"LANG": "zh_CN.GB18030", "TERM": "no-such-terminal"}
    found = dict(doctor_checks(config, env))
    assert "wxzj db upgrade" in found["数据库可连接且结构为最新"]
    assert "LANG=C.UTF-8" in found["字符编码为 UTF-8"]
    assert "terminfo" in found["终端类型已知（TERM=no-such-terminal）"]
    assert run_doctor(config, env) == 1
    out = capsys.readouterr().out
    assert "个问题" in out


def test_sessions_not_run_lean_or_without_their_bytecode_are_a_problem(demo_url, tmp_path, lean_env):
    config = config_for(demo_url, tmp_path)
    assert "PYTHONOPTIMIZE=2" in dict(doctor_checks(config, GOOD_ENV))[LEAN]
    no_bytecode = {**lean_env, "PYTHONPYCACHEPREFIX": str(tmp_path / "empty")}
    problem = dict(doctor_checks(config, no_bytecode))[LEAN]
    assert "compileall" in problem and all(name in problem for name in SAMPLE)
    # bytecode older than its source (Python or wxzj upgraded since) is compiled again at each start
    stale = lean_cache_path(importlib.util.find_spec("tui.app").origin, lean_env["PYTHONPYCACHEPREFIX"])
    header = bytearray(stale.read_bytes())
    header[8:12] = b"\0\0\0\0"
    stale.write_bytes(bytes(header))
    problem = dict(doctor_checks(config, lean_env))[LEAN]
    assert "tui.app 没有" in problem


def test_missing_term_is_a_problem(demo_url, tmp_path):
    found = dict(doctor_checks(config_for(demo_url, tmp_path), {"LANG": "C.UTF-8"}))
    assert "ssh -t" in found["终端类型已知（TERM=）"]


class Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_a_remote_command_or_a_missing_terminal_is_refused():
    from tui.cli_ops import terminal_refusal

    assert "不执行命令" in terminal_refusal({"SSH_ORIGINAL_COMMAND": "id"}, Stream(True), Stream(True))
    assert "ssh -t" in terminal_refusal({}, Stream(False), Stream(True))
    assert terminal_refusal({}, Stream(True), Stream(True)) is None


def test_the_cli_refuses_to_start_without_a_terminal(demo_url, tmp_path, monkeypatch, capsys):
    from tui.cli import main

    monkeypatch.setenv("WXZJ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "id")
    assert main(["--database-url", demo_url]) == 1
    assert "不执行命令" in capsys.readouterr().err
