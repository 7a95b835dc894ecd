"""Whether sessions run lean: `PYTHONOPTIMIZE=2` (no docstrings, ~6 MB less per session) on bytecode
compiled for it at install time (docs/deploy.md, sections 1 and 3)."""

from __future__ import annotations

import importlib.util
import os
import struct
import sys
from pathlib import Path

# Where most of a session's memory comes from: when these have fresh -OO bytecode, the install's
# compileall ran over the interpreter's library, the virtualenv and the app.
SAMPLE = ("asyncio.base_events", "textual.app", "rich.console", "sqlalchemy.orm.mapper", "pydantic.main",
          "sqlmodel.main", "tui.app", "models.db")


def lean_cache_path(source: str, prefix: str | None) -> Path:
    """Where the interpreter looks for a module's -OO bytecode (importlib's layout, PYTHONPYCACHEPREFIX's too)."""
    name = f"{Path(source).stem}.{sys.implementation.cache_tag}.opt-2.pyc"
    folder = os.path.dirname(os.path.abspath(source))
    if prefix:
        return Path(prefix, folder.lstrip(os.sep), name)
    return Path(folder, "__pycache__", name)


def _fresh(source: str, cached: Path) -> bool:
    try:
        with cached.open("rb") as pyc:
            header = pyc.read(16)
        stat = os.stat(source)
    except OSError:
        return False
    if len(header) < 16 or header[:4] != importlib.util.MAGIC_NUMBER:
        return False
    flags, mtime, size = struct.unpack("<III", header[4:16])
    if flags:  # hash-based bytecode: checked (or trusted) by the interpreter itself
        return True
    return mtime == int(stat.st_mtime) & 0xFFFFFFFF and size == stat.st_size & 0xFFFFFFFF


def stale_modules(prefix: str | None) -> list[str]:
    """The sample modules without fresh -OO bytecode where a session would look for it."""
    stale = []
    for name in SAMPLE:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            continue
        if not _fresh(spec.origin, lean_cache_path(spec.origin, prefix)):
            stale.append(name)
    return stale


def lean_bytecode_problem(env: dict[str, str]) -> str | None:
    if env.get("PYTHONOPTIMIZE") != "2":
        return ("会话未以 PYTHONOPTIMIZE=2 运行，每个会话多占约 6 MB 内存；"
                "请在 ForceCommand 的 env 中加上 PYTHONOPTIMIZE=2（见 docs/deploy.md 第 3 节）")
    stale = stale_modules(env.get("PYTHONPYCACHEPREFIX") or None)
    if stale:
        return (f"{'、'.join(stale)} 没有为 PYTHONOPTIMIZE=2 预编译的字节码，每个会话启动时都要从源码编译（慢 2–3 秒）；"
                f"请以 root 运行 {sys.executable} -OO -m compileall -q 覆盖程序、虚拟环境和 Python 库目录"
                "（见 docs/deploy.md 第 1 节）")
    return None
