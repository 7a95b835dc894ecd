"""Checks made before the first frame: is the database there, writable and up to date; and the
terminal settings that keep a slow link cheap."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import MutableMapping

from models.schema import HEAD_REVISION, current_revision, is_behind, sqlite_path

UPGRADE_HINT = "请运行 wxzj db upgrade 升级数据库"


def ensure_writable_location(url: str) -> str | None:
    """Create the SQLite file's folder if needed; say why it cannot be written, or None."""
    path = sqlite_path(url)
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"无法创建数据目录 {path.parent}：{exc.strerror}"
    if path.exists() and not os.access(path, os.W_OK):
        return f"数据库文件只读：{path}，请检查文件权限"
    if not os.access(path.parent, os.W_OK):
        return f"数据目录不可写：{path.parent}，请检查目录权限"
    return None


def check_database(url: str, *, writable: bool = True) -> str | None:
    """Why the app must not start on this database, in Chinese, or None when it may. A command
    that only reads (`wxzj check`) passes writable=False and accepts a read-only file."""
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            return f"数据库文件不存在：{path}。请运行 wxzj db upgrade 建立空库，或 wxzj demo 建立演示库"
        if writable and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)):
            return f"数据库文件只读：{path}，请检查文件及其目录的权限"
    try:
        revision = current_revision(url)
    except (sqlite3.Error, OSError) as exc:
        return f"无法打开数据库 {url}：{exc}"
    except Exception as exc:  # SQLAlchemy errors for other back ends; the message is what matters
        return f"无法连接数据库 {url}：{exc.__class__.__name__}: {exc}"
    if revision is None:
        return f"数据库尚未建立表结构，{UPGRADE_HINT}"
    if is_behind(revision):
        return f"数据库结构版本 {revision} 落后于程序所需的 {HEAD_REVISION}，{UPGRADE_HINT}"
    if revision != HEAD_REVISION:
        return f"数据库结构版本 {revision} 比程序所需的 {HEAD_REVISION} 新，请升级 wxzj 程序"
    return None


def prepare_terminal_environment(env: MutableMapping[str, str]) -> None:
    """Settings Textual reads at import: no animations; 256 colours unless the terminal asks for
    truecolor, which costs about 30 % more bytes per frame."""
    env.setdefault("TEXTUAL_ANIMATIONS", "none")
    if env.get("COLORTERM", "").lower() not in ("truecolor", "24bit"):
        env.setdefault("TEXTUAL_COLOR_SYSTEM", "256")


# Terminals without colour that clerks' old boxes and emulators report; terminfo decides the others.
MONOCHROME_TERMS = frozenset({"vt52", "vt100", "vt102", "vt220", "vt320", "vt420", "wy50", "wy60", "adm3a"})


def colour_count(term: str) -> int | None:
    """How many colours terminfo gives `term` (-1: none), or None where it cannot tell."""
    try:
        import curses

        curses.setupterm(term, -1)
        return curses.tigetnum("colors")
    except Exception:  # noqa: BLE001 - no curses, no terminfo entry: nothing known
        return None


def mark_monochrome(env: MutableMapping[str, str], colours=colour_count) -> None:
    """On a terminal that shows no colour, set NO_COLOR: Textual then draws without colour and the
    style sheet marks cursors and focus in reverse video (a colour-only cursor vanishes there)."""
    term = env.get("TERM", "")
    if not term or term == "dumb" or "NO_COLOR" in env:
        return
    count = 0 if term.split("-")[0] in MONOCHROME_TERMS and "color" not in term else colours(term)
    if count is not None and count < 8:
        env["NO_COLOR"] = "1"


def read_only_url(url: str) -> str:
    """The same SQLite file opened read-only (other back ends unchanged): a read-only file, or one in
    a read-only folder, can still be read, and nothing can be written by mistake."""
    path = sqlite_path(url)
    if path is None:
        return url
    return f"sqlite:///file:{path}?mode=ro&uri=true"
