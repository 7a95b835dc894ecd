"""The Textual hooks install only on the release and sources they were written for; otherwise stock, one warning."""

from __future__ import annotations

import logging
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable

from tui import textual_hooks

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_verdicts(monkeypatch):
    """Forget the verdicts and the version warning, restoring them after the test."""
    monkeypatch.setattr(textual_hooks, "_verdicts", {})
    monkeypatch.setattr(textual_hooks, "_version_warned", False)


@pytest.fixture
def caplog(caplog):
    """caplog that also sees the hooks' logger when the wxzj logger stops propagating (tui.logs.configure)."""
    hooks_logger = logging.getLogger("wxzj.textual_hooks")
    hooks_logger.addHandler(caplog.handler)
    caplog.set_level(logging.WARNING, logger="wxzj.textual_hooks")
    yield caplog
    hooks_logger.removeHandler(caplog.handler)


def _spoil(monkeypatch, name: str) -> None:
    hook = textual_hooks.HOOKS[name]
    module, path, _sha = hook.stock[0]
    spoiled = replace(hook, stock=((module, path, "0" * 64), *hook.stock[1:]))
    monkeypatch.setitem(textual_hooks.HOOKS, name, spoiled)


def _warnings(caplog) -> list[str]:
    return list(dict.fromkeys(r.getMessage() for r in caplog.records
                              if r.name == "wxzj.textual_hooks" and r.levelno == logging.WARNING))


def test_every_hook_matches_this_textual_release(fresh_verdicts, caplog):
    assert textual_hooks.running_version() == textual_hooks.WRITTEN_FOR
    assert all(textual_hooks.usable(name) for name in textual_hooks.HOOKS)
    assert _warnings(caplog) == []


def test_the_app_and_the_shared_classes_carry_the_hooks():
    import tui.house_grid  # noqa: F401  (mixes in NoFocusRepaint)
    from tui.app import WxzjApp
    from tui.screens_base import LeanScreen
    from tui.table import Table

    assert WxzjApp._on_app_focus is not App._on_app_focus
    assert WxzjApp._set_mouse_over is not App._set_mouse_over
    assert WxzjApp._display is not App._display
    assert LeanScreen.__dict__["focused"]._repaint is False
    assert Table._update_dimensions is not DataTable._update_dimensions
    assert "_on_focus" in textual_hooks.NoFocusRepaint.__dict__


def test_a_changed_source_keeps_stock_behaviour_and_warns_once(fresh_verdicts, monkeypatch, caplog):
    _spoil(monkeypatch, "table_rewiden")
    _spoil(monkeypatch, "lean_screen")

    class StockTable(DataTable):
        pass

    class StockScreen(Screen):
        pass

    for _ in range(2):
        assert textual_hooks.table_rewiden(StockTable) is StockTable
    textual_hooks.lean_screen(StockScreen)
    assert "_update_dimensions" not in StockTable.__dict__
    assert "focused" not in StockScreen.__dict__
    messages = _warnings(caplog)
    assert len([m for m in messages if "table_rewiden" in m]) == 1
    assert "DataTable._update_dimensions" in messages[0] and "stock" in messages[0]
    assert len(messages) == 2


def test_a_changed_render_segments_is_not_patched(fresh_verdicts, monkeypatch, caplog):
    from textual._compositor import ChopsUpdate

    monkeypatch.setattr(ChopsUpdate, "render_segments", textual_hooks.REPLACED.get(
        "ChopsUpdate.render_segments", ChopsUpdate.render_segments))
    stock = ChopsUpdate.render_segments
    _spoil(monkeypatch, "partial_updates")
    assert textual_hooks.install_partial_updates() is False
    assert ChopsUpdate.render_segments is stock
    assert len(_warnings(caplog)) == 1


def test_another_textual_release_keeps_every_stock_behaviour_with_one_warning(fresh_verdicts, monkeypatch, caplog):
    monkeypatch.setattr(textual_hooks, "running_version", lambda: "8.3.0")

    class StockApp(App):
        pass

    class StockTable(DataTable):
        pass

    textual_hooks.lean_app(StockApp)
    textual_hooks.table_rewiden(StockTable)
    assert "_on_app_focus" not in StockApp.__dict__ and "_set_mouse_over" not in StockApp.__dict__
    assert "_display" not in StockApp.__dict__
    assert "_update_dimensions" not in StockTable.__dict__
    messages = _warnings(caplog)
    assert len(messages) == 1 and "8.3.0" in messages[0]


def test_one_module_reaches_into_textual_private_api():
    listed = subprocess.run(["git", "grep", "-lE", r"textual\._|from textual\._", "--", ".", ":!tests"],
                            cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert listed == ["tui/textual_hooks.py"]
