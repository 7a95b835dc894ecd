"""The audit chain's head, kept outside audit_entry and sealed with a key the database does not hold (C12).

Each audit entry's hash covers the previous one, so an edit in the middle breaks the chain; but
someone who can write the table could delete the newest entries, or edit one and recompute every
hash after it, and the chain alone would still look whole. So every append also moves the head
(audit_head: newest id, its hash, the number of entries) and seals it with HMAC-SHA256 under a key
kept in a file: `WXZJ_AUDIT_KEY_FILE`, else `audit.key` beside the SQLite file, else in the data
directory. Without the key a rewritten trail cannot be sealed again; `wxzj check` verifies both.
"""

from __future__ import annotations

import hmac
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from models import AuditEntry, AuditHead
from models.audit_key import key_path_for, load_key_at, seal
from services.core.errors import ServiceError



def key_path(session: Session) -> Path:
    return key_path_for(session.get_bind().url)


def load_key(session: Session, *, create: bool) -> bytes | None:
    return load_key_at(key_path(session), create=create)


def previous_hash(session: Session, genesis: str) -> tuple[str, AuditHead | None]:
    """The hash the next entry chains onto: the head's, so entries deleted from the end of the
    table leave a gap the next entry makes visible too."""
    head = session.get(AuditHead, 1)
    if head is not None:
        return head.last_hash, head
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    return last or genesis, None


def move_head(session: Session, head: AuditHead | None, entry: AuditEntry) -> None:
    """Called after the new entry is flushed (it has its id), in the same transaction. A sealed
    head whose key has gone is never sealed again under a new key: that would bless whatever was
    done to the trail in between."""
    key = load_key(session, create=head is None)
    if key is None:
        raise ServiceError(f"找不到审计密钥文件 {key_path(session)}。为防审计记录被改写，暂停办理业务，"
                           "请系统管理员恢复该文件")
    if head is None:  # the first entry since the upgrade adopts the trail as it stands
        entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        head = AuditHead(id=1, last_id=entry.id, last_hash=entry.hash, entries=entries, seal="")
    else:
        head.last_id, head.last_hash, head.entries = entry.id, entry.hash, head.entries + 1
    head.seal = seal(key, head.last_id, head.last_hash, head.entries)
    session.add(head)


def head_problems(session: Session) -> list[str]:
    """What is wrong with the sealed head against the table, in words for `wxzj check`."""
    last = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    count = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    head = session.get(AuditHead, 1)
    if head is None:
        return [f"审计记录 {count} 条，但没有链头记录（链头被删除）"] if count else []
    key = load_key(session, create=False)
    if key is None:
        return [f"找不到审计密钥文件 {key_path(session)}，无法核对审计链头"]
    problems = []
    if not hmac.compare_digest(head.seal, seal(key, head.last_id, head.last_hash, head.entries)):
        problems.append("审计链头的签名无效：链头被改写，或审计密钥不是建库时的密钥")
    if last is None or (last[0], last[1]) != (head.last_id, head.last_hash):
        shown = f"第 {last[0]} 号" if last else "没有记录"
        problems.append(f"最新的审计记录（{shown}）与链头（第 {head.last_id} 号）不符：末尾的记录被删除或改写")
    if count != head.entries:
        problems.append(f"审计记录共 {count} 条，链头记载 {head.entries} 条：有记录被删除或插入")
    return problems
