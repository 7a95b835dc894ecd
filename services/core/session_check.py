"""Sessions that follow the database: every service call re-checks its actor inside its own transaction.

A user, an identity or an organisation disabled while someone is logged in ends that session at their
next action, not at logout. The check is one read by primary key (identity → user, organisation and
the organisation's parent enterprise) at the start of the service's transaction, so the decision and
the business action see the same moment. Services open their transactions through `checked_write` /
`checked_read` instead of `db.write()` / `db.read()` (tests/test_session_check.py holds every
service to it). The app shell hears of every ended session through `listen` (whichever screen or
worker made the call) and answers by saying why on a fresh login screen.

Community scope (an association withdrawn by the authority) is checked where a community is acted
on, by `services.estate.scope.require_community`, in the same transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlmodel import Session

from services.core.actor import Actor
from services.core import errors

_SQL = text("""
    SELECT u.status, i.status, i.role, i.organisation_id, o.status, p.status
    FROM identity i
    JOIN user_account u ON u.id = i.user_id
    LEFT JOIN organisation o ON o.id = i.organisation_id
    LEFT JOIN organisation p ON p.id = o.parent_id
    WHERE i.id = :identity_id AND i.user_id = :user_id""")


_listeners: list[Callable[[Actor | None, "SessionEnded"], None]] = []
_listeners_lock = threading.Lock()


def listen(callback: Callable[[Actor | None, "SessionEnded"], None]) -> Callable[[], None]:
    """Call `callback(actor, error)` whenever a check ends a session; returns the unsubscribe."""
    with _listeners_lock:
        _listeners.append(callback)

    def stop() -> None:
        with _listeners_lock:
            if callback in _listeners:
                _listeners.remove(callback)

    return stop


class SessionEnded(errors.SessionEnded):
    """The actor may no longer work: the screen says why and returns to the login screen."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{reason}，本次登录已结束，请重新登录或联系单位管理员")
        self.reason = reason


def check_session(session: Session, actor: Actor | None) -> None:
    """Raise SessionEnded unless the actor's user, identity and organisation (and, for a community
    office, its enterprise) are still enabled and the identity still has the role it logged in with."""
    try:
        _check(session, actor)
    except SessionEnded as ended:
        with _listeners_lock:
            listeners = list(_listeners)
        for callback in listeners:
            callback(actor, ended)
        raise


def _check(session: Session, actor: Actor | None) -> None:
    if actor is None:
        raise SessionEnded("尚未登录")
    if actor.identity_id is None:
        raise SessionEnded("登录身份无效")
    row = session.execute(_SQL, {"identity_id": actor.identity_id, "user_id": actor.user_id}).first()
    if row is None:
        raise SessionEnded("您的登录身份已被删除")
    user_status, identity_status, role, organisation_id, org_status, parent_status = row
    if user_status != "active":
        raise SessionEnded("您的账户已停用")
    if identity_status != "active":
        raise SessionEnded("您的该身份已停用")
    if role != actor.role or organisation_id != actor.organisation_id:
        raise SessionEnded("您的身份已变更")
    # A registrant's own unit is "pending" until its 物业单位注册申请 is approved (BJ-05): still their unit.
    pending_own = org_status == "pending" and role == "registrant"
    if organisation_id is not None and org_status != "active" and not pending_own:
        raise SessionEnded("本单位已停用")
    if parent_status is not None and parent_status != "active":
        raise SessionEnded("上级单位已停用")


@contextmanager
def checked_write(db, actor: Actor | None) -> Iterator[Session]:
    """`db.write()` for a service acting for `actor`: the session check runs first, in the same transaction."""
    with db.write() as session:
        check_session(session, actor)
        yield session


@contextmanager
def checked_read(db, actor: Actor | None) -> Iterator[Session]:
    with db.read() as session:
        check_session(session, actor)
        yield session
