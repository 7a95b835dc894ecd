"""The bench harness itself: its command line, its registry and its pty instrument (no timings)."""

from __future__ import annotations

import sys

import pytest

from bench.__main__ import parse_args
from bench.figures import FIGURES, BenchError, Run, produces
from bench.pty_session import PtySession, terminal_env


def test_names_are_parsed_in_order_without_repeats():
    assert parse_args(["focus_bytes", "startup_s", "focus_bytes"]).names == ["focus_bytes", "startup_s"]


def test_no_names_means_every_figure():
    assert parse_args([]).names == list(FIGURES)


def test_unknown_name_is_refused_with_exit_code_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        parse_args(["startup_s", "warp_speed"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "unknown figure: warp_speed" in err
    assert "startup_s" in err  # the known names are listed


def test_every_figure_has_a_unit_and_says_how_it_is_measured():
    assert {"startup_s", "startup_bare_s", "startup_ratio", "startup_bytes", "login_key_bytes",
            "idle_bytes_per_s", "focus_bytes"} <= set(FIGURES)
    assert all(figure.unit and figure.how for figure in FIGURES.values())


def test_a_producer_shared_by_figures_runs_once_and_its_failure_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("bench.figures.FIGURES", {})
    calls = []

    @produces(("a", "B", "first"), ("b", "B", "second"))
    def both(run):
        calls.append(run)
        return {"a": 1, "b": 2}

    @produces(("broken", "s", "fails"))
    def broken(run):
        calls.append(run)
        raise BenchError("no app")

    run = Run(tmp_path)
    assert (run.value("a"), run.value("b")) == (1, 2)
    for _ in range(2):
        with pytest.raises(BenchError, match="no app"):
            run.value("broken")
    assert len(calls) == 2
    with pytest.raises(ValueError, match="twice"):
        produces(("a", "B", "again"))(both)


def test_the_session_counts_every_byte_a_command_writes():
    with PtySession(["printf", "%01234d", "0"], terminal_env(), cols=80, rows=24) as session:
        burst = session.read_until_quiet(settle=0.05, timeout=10, showing=())
    assert len(burst.data) == 1234
    assert burst.last is not None and burst.last >= session.started


def test_the_session_answers_terminal_queries_and_passes_the_size():
    # The child asks for device attributes and a mode, then prints its window size and what it got.
    script = (
        "import os, shutil, sys, termios, tty\n"
        "tty.setraw(0)\n"
        "os.write(1, b'\\x1b[c\\x1b[?2026$p')\n"
        "got = b''\n"
        "while not got.endswith(b'$y'):\n"
        "    got += os.read(0, 64)\n"
        "size = os.get_terminal_size(1)\n"
        "os.write(1, b'|%dx%d|%r' % (size.columns, size.lines, got))\n"
    )
    with PtySession([sys.executable, "-c", script], terminal_env(), cols=100, rows=30) as session:
        burst = session.read_until_quiet(settle=0.05, timeout=10, showing=("$y",))
    assert burst.data.endswith(b"|100x30|" + repr(b"\x1b[?1;2c\x1b[?2026;0$y").encode())
