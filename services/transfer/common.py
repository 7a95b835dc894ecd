"""What every import kind shares: the result of a check, the issues, scope and row parsing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from models import District
from services.core.actor import Actor
from services.core.errors import PermissionDenied
from services.core.functions import require
from services.transfer import cells
from services.transfer.kinds import Kind

Progress = Callable[[int, int, str], None]  # (done, total, what is being done)
CHUNK = 500  # ids per IN (…) query


@dataclass(frozen=True)
class Issue:
    row: int
    column: str
    value: str
    message: str


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    owners_added: int = 0
    owners_updated: int = 0
    openings: int = 0
    adjustments: int = 0
    opening_fen: int = 0
    adjustment_fen: int = 0

    def text(self, label: str) -> str:
        parts = [f"{label}：新增 {self.added}，更新 {self.updated}，不变 {self.unchanged}"]
        if self.owners_added or self.owners_updated:
            parts.append(f"业主：新增 {self.owners_added}，更新 {self.owners_updated}")
        if self.openings or self.adjustments:
            from services.core.money import format_fen

            parts.append(f"期初交存 {self.openings} 笔 {format_fen(self.opening_fen)} 元，"
                         f"余额调整 {self.adjustments} 笔 {format_fen(self.adjustment_fen)} 元")
        return "；".join(parts)


@dataclass
class Checked:
    """The rows of one kind that passed, ready to be written, and the issues of those that did not."""

    kind: Kind
    rows: int = 0
    issues: list[Issue] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    bad_rows: set[int] = field(default_factory=set)
    expected: int | None = None  # rows the file says it has, for the progress bar

    def issue(self, row: int, column: str, value: Any, message: str) -> None:
        self.issues.append(Issue(row, column, cells.shown(value), message))
        self.bad_rows.add(row)


def district_scope(session: Session, actor: Actor) -> dict[str, tuple[int, str]]:
    """District name and code → (id, code) the actor may import into: every one for the system
    administrator, its own for a district department."""
    if actor is None:
        raise PermissionDenied("请先登录")
    require(actor, "data_import")
    if actor.role == "sysadmin":
        wanted = select(District)
    elif actor.role == "reviewer" and actor.organisation_kind == "authority" and actor.district_id is not None:
        wanted = select(District).where(District.id == actor.district_id)
    else:
        raise PermissionDenied("只有系统管理员和区县管理部可以导入数据")
    found: dict[str, tuple[int, str]] = {}
    for district in session.execute(wanted).scalars():
        found[district.name] = found[district.code] = (district.id, district.code)
    return found


def chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def parse_rows(checked: Checked, spec: Kind, columns: dict[str, int], rows, parsers: dict[str, Callable],
               progress: Progress | None = None):
    """Yield (row number, values) of each row whose cells all pass their column's parser; a cell
    that fails becomes an issue. A generator, so that 100,000 rows never exist as dicts at once."""
    titles = {c.key: c.title for c in spec.columns}
    plan = [(key, columns.get(key), parsers[key]) for key in parsers]
    merged_cells = getattr(checked, "merged_cells", set())
    total = checked.expected or 0
    for done, (number, row) in enumerate(rows, start=1):
        checked.rows = done
        values: dict[str, Any] = {}
        ok = True
        for key, index, parse in plan:
            raw = row[index] if index is not None and index < len(row) else None
            if isinstance(raw, str) and raw.startswith("="):
                checked.issue(number, titles[key], raw, f"{titles[key]}是公式，请复制后“选择性粘贴为数值”再导入")
                ok = False
                continue
            if raw is None and index is not None and (number, index) in merged_cells:
                checked.issue(number, titles[key], "", f"{titles[key]}在合并单元格中，请取消合并并逐行填写")
                ok = False
                continue
            try:
                values[key] = parse(raw, titles[key])
            except cells.CellError as exc:
                checked.issue(number, titles[key], raw, exc.message)
                ok = False
        if ok:
            yield number, values
        if progress and done % 5000 == 0:
            progress(done, max(total, done), "正在检查")


def merged_cell_set(ranges: list[str], columns: dict[str, int]) -> set[tuple[int, int]]:
    """(row, column index) of every cell inside a merged range except its top-left one."""
    from openpyxl.utils.cell import range_boundaries

    found: set[tuple[int, int]] = set()
    for ref in ranges:
        low_col, low_row, high_col, high_row = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
        for r in range(low_row, min(high_row, low_row + 10_000) + 1):
            for c in range(low_col, high_col + 1):
                if (r, c) != (low_row, low_col):
                    found.add((r, c - 1))
    return found


def batch_actor(db, username: str | None) -> Actor:
    """Who `wxzj import` acts as: the named user's system-administrator or district-department
    identity, or (no name) the one active system administrator."""
    from models import Identity, User
    from services.identity import auth

    with db.read() as session:
        query = (select(Identity.id, User.username).join(User, Identity.user_id == User.id)
                 .where(Identity.role.in_(("sysadmin", "reviewer")), Identity.status == "active",
                        User.status == "active").order_by(Identity.role.desc(), Identity.id))
        if username:
            query = query.where(User.username == username)
        else:
            query = query.where(Identity.role == "sysadmin")
        found = session.execute(query).all()
    if not found:
        raise PermissionDenied(f"用户 {username} 不是系统管理员或区县管理部的有效用户" if username
                               else "没有有效的系统管理员账户，请用 --user 指定导入人")
    if not username and len(found) > 1:
        raise PermissionDenied("有多个系统管理员账户，请用 --user 指定导入人")
    return auth.actor_for_identity(db, found[0][0])
