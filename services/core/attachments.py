"""Files a clerk hands in: checked by their content (magic bytes, never the name) and size, and kept in a
content-addressed store under the data directory.

    store = AttachmentStore.under(config.data_dir)
    checked = read_checked(path, ATTACHMENT_TYPES)        # ValidationError at field "path" when refused
    sha = store.put(checked.data)                          # data_dir/attachments/ab/abcd…  (SHA-256)
    data = store.get(sha)                                  # re-hashed on the way out

The store chooses every file name itself from the SHA-256 of the content, so nothing a user typed ever
becomes a path we write to; the same content is stored once. Other areas (imports) pass their own
allowed kinds, e.g. `read_checked(path, ("xlsx", "csv"), max_bytes=...)`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import NotFound, PermissionDenied, ServiceError, ValidationError

MAX_BYTES = 20 * 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")


def _is_csv(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the sample
                return True
    return False


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    matches: Callable[[bytes], bool]


FILE_TYPES: dict[str, FileType] = {
    t.key: t for t in (
        FileType("pdf", "PDF", (".pdf",), "application/pdf", lambda h: h.startswith(b"%PDF-")),
        FileType("jpg", "JPG", (".jpg", ".jpeg"), "image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
        FileType("png", "PNG", (".png",), "image/png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
        FileType("xlsx", "XLSX", (".xlsx",),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 lambda h: h.startswith(b"PK\x03\x04")),
        FileType("csv", "CSV", (".csv",), "text/csv", _is_csv),
    )
}
ATTACHMENT_TYPES = ("pdf", "jpg", "png")


def extensions_of(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The file name endings the picker lists for these kinds (the content is checked regardless)."""
    return tuple(ext for kind in kinds for ext in FILE_TYPES[kind].extensions)


def labels_of(kinds: tuple[str, ...]) -> str:
    return "/".join(FILE_TYPES[kind].label for kind in kinds)


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    kind: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def sniff(head: bytes, kinds: tuple[str, ...]) -> FileType | None:
    """The first allowed kind whose signature the content carries."""
    for kind in kinds:
        if FILE_TYPES[kind].matches(head):
            return FILE_TYPES[kind]
    return None


def check_bytes(filename: str, data: bytes, kinds: tuple[str, ...], max_bytes: int = MAX_BYTES) -> CheckedFile:
    """The rule for an upload (browser mode) and for a file read from disk alike."""
    if not data:
        raise ValidationError("文件是空的，请重新选择", field="path")
    if len(data) > max_bytes:
        raise ValidationError(f"文件过大（{size_text(len(data))}），不能超过 {size_text(max_bytes)}", field="path")
    found = sniff(data[:4096], kinds)
    if found is None:
        raise ValidationError(f"文件内容不是 {labels_of(kinds)} 格式（按文件内容判断，与扩展名无关），请重新选择",
                              field="path")
    name = Path(filename).name[:200] or f"file{found.extensions[0]}"
    return CheckedFile(name, found.key, found.content_type, data)


def read_checked(path: Path | str, kinds: tuple[str, ...], max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Read a file the clerk chose and check it; the size is checked before anything big is read."""
    try:
        path = Path(path).expanduser()
    except (RuntimeError, ValueError):
        raise ValidationError("路径无效，请重新输入", field="path") from None
    try:
        if not path.exists():
            raise ValidationError(f"文件不存在：{path}", field="path")
        if not path.is_file():
            raise ValidationError(f"不是文件：{path}", field="path")
        size = path.stat().st_size
        if size > max_bytes:
            raise ValidationError(f"文件过大（{size_text(size)}），不能超过 {size_text(max_bytes)}", field="path")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may grow between stat and read
    except PermissionError:
        raise ValidationError(f"没有读取该文件的权限：{path}", field="path") from None
    except (OSError, ValueError) as exc:  # ValueError: an embedded NUL in the typed path
        raise ValidationError(f"无法读取该文件：{getattr(exc, 'strerror', None) or exc}", field="path") from None
    return check_bytes(path.name, data, kinds, max_bytes)


class AttachmentStore:
    """Content-addressed files under one root; names come only from SHA-256 digests."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def under(cls, data_dir: Path) -> "AttachmentStore":
        return cls(Path(data_dir) / "attachments")

    def _path(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise NotFound("附件不存在")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self._path(sha)
        if target.exists() and target.stat().st_size == len(data):
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".in-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)  # whole or not at all, even with two processes storing the same file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def has(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def get(self, sha256: str) -> bytes:
        try:
            data = self._path(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFound("附件文件已不在附件库中，请联系系统管理员") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise NotFound("附件文件已损坏（校验值不符），请联系系统管理员")
        return data


@dataclass(frozen=True)
class StagedFile:
    """A checked file already in the store, waiting for the application it goes with."""

    filename: str
    kind: str
    content_type: str
    size: int
    sha256: str


def stage(db, actor, path: Path | str, *, store: AttachmentStore, kinds: tuple[str, ...] = ATTACHMENT_TYPES,
          max_bytes: int = MAX_BYTES) -> StagedFile:
    """Check the file at `path` and put it in the store (a tui.calls service: `db` is not needed).
    The application that uses it records it; a staged file nobody submits is only an unreferenced blob."""
    if actor is None:
        raise PermissionDenied("请先登录")
    checked = read_checked(path, kinds, max_bytes)
    try:
        sha = store.put(checked.data)
    except OSError as exc:
        raise ServiceError(f"附件库不可写，请联系系统管理员（{exc.strerror or exc}）") from None
    return StagedFile(checked.filename, checked.kind, checked.content_type, checked.size, sha)
