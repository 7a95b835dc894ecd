"""B4: sessions follow the database. A user, identity or unit disabled (or an association withdrawn)
while someone is logged in ends that session at the next service call, inside its transaction."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import event, text, update

from models import Association, Identity, Organisation, TaskOrder, User
from services.core.errors import PermissionDenied
from services.core.session_check import SessionEnded, check_session
from services.review import task_orders as review
from services.task_orders import drafts, queries
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft

pytestmark = pytest.mark.both_backends
ROOT = Path(__file__).resolve().parent.parent


def _set(db, model, row_id, **values) -> None:
    with db.write() as s:
        s.execute(update(model).where(model.id == row_id).values(**values))


@pytest.fixture
def draft(demo_db, actor_of):
    actor = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, actor, houses=6)
    return actor, order_id, buildings


def _order_status(db, order_id) -> str:
    with db.read() as s:
        return s.get(TaskOrder, order_id).status


def test_1_disabled_user_can_no_longer_submit(demo_db, draft):
    actor, order_id, buildings = draft
    _set(demo_db, User, actor.user_id, status="disabled")
    with pytest.raises(SessionEnded, match="账户已停用"):
        task_order_submit.submit(demo_db, actor, order_id, buildings)
    assert _order_status(demo_db, order_id) == "draft"


def test_2_disabled_identity_can_no_longer_submit(demo_db, draft):
    actor, order_id, buildings = draft
    _set(demo_db, Identity, actor.identity_id, status="disabled")
    with pytest.raises(SessionEnded, match="身份已停用"):
        task_order_submit.submit(demo_db, actor, order_id, buildings)
    assert _order_status(demo_db, order_id) == "draft"


def test_3_disabled_enterprise_can_no_longer_submit_nor_read(demo_db, draft):
    actor, order_id, buildings = draft
    _set(demo_db, Organisation, actor.organisation_id, status="disabled")
    with pytest.raises(SessionEnded, match="本单位已停用"):
        task_order_submit.submit(demo_db, actor, order_id, buildings)
    with pytest.raises(SessionEnded):
        queries.list_orders(demo_db, actor)
    assert _order_status(demo_db, order_id) == "draft"


def test_4_office_of_a_disabled_enterprise_can_no_longer_work(demo_db, actor_of):
    office = actor_of("xqjb")
    order_id, buildings = ready_draft(demo_db, office, houses=4)
    with demo_db.read() as s:
        parent = s.get(Organisation, office.organisation_id).parent_id
    _set(demo_db, Organisation, parent, status="disabled")
    with pytest.raises(SessionEnded, match="上级单位已停用"):
        task_order_submit.submit(demo_db, office, order_id, buildings)
    assert _order_status(demo_db, order_id) == "draft"


def test_5_withdrawn_association_ends_work_on_that_community(demo_db, draft):
    actor, order_id, buildings = draft
    with demo_db.read() as s:
        community = s.get(TaskOrder, order_id).community_id
    with demo_db.write() as s:
        s.execute(update(Association).where(Association.enterprise_id == actor.organisation_id,
                                            Association.community_id == community).values(status="withdrawn"))
    with pytest.raises(PermissionDenied, match="未关联该小区"):
        task_order_submit.submit(demo_db, actor, order_id, buildings)
    with pytest.raises(PermissionDenied):
        drafts.save_field(demo_db, actor, order_id, "project_name", "改名")
    assert _order_status(demo_db, order_id) == "draft"


@pytest.fixture
def submitted(demo_db, draft, actor_of):
    actor, order_id, buildings = draft
    task_order_submit.submit(demo_db, actor, order_id, buildings)
    return order_id, actor_of("shenhe")


def test_6_disabled_reviewer_can_no_longer_approve(demo_db, submitted):
    order_id, reviewer = submitted
    _set(demo_db, User, reviewer.user_id, status="disabled")
    with pytest.raises(SessionEnded):
        review.approve(demo_db, reviewer, order_id, override_reason="业主已书面补充同意")
    assert _order_status(demo_db, order_id) == "submitted"


def test_7_reviewer_of_a_disabled_department_can_no_longer_approve(demo_db, submitted):
    order_id, reviewer = submitted
    _set(demo_db, Organisation, reviewer.organisation_id, status="disabled")
    with pytest.raises(SessionEnded, match="本单位已停用"):
        review.approve(demo_db, reviewer, order_id, override_reason="业主已书面补充同意")
    assert _order_status(demo_db, order_id) == "submitted"


def test_a_changed_role_ends_the_session(demo_db, actor_of):
    actor = actor_of("qyjb")
    _set(demo_db, Identity, actor.identity_id, role="enterprise_admin")
    with pytest.raises(SessionEnded, match="身份已变更"):
        queries.list_orders(demo_db, actor)


def test_the_check_is_one_read(demo_db, actor_of):
    actor = actor_of("qyjb")
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(demo_db.engine, "before_cursor_execute", seen)
    try:
        with demo_db.read() as s:
            check_session(s, actor)
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", seen)
    assert len([x for x in statements if x.lstrip().upper().startswith("SELECT")]) == 1


def test_the_check_reads_by_primary_key_only(db, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's query plan names the index used")
    with db.read() as s:
        from services.core import session_check

        plan = " ".join(r[-1] for r in s.execute(text("EXPLAIN QUERY PLAN " + session_check._SQL.text),
                                                  {"identity_id": 1, "user_id": 1}))
    assert "SCAN" not in plan, plan


def _unchecked_transactions() -> list[str]:
    """Transactions opened with db.write()/db.read() by a service function that takes an actor."""
    found = []
    for path in sorted((ROOT / "services").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for fn in ast.walk(ast.parse(source)):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if "actor" not in [a.arg for a in fn.args.args + fn.args.kwonlyargs]:
                continue
            for node in ast.walk(fn):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("write", "read") and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == "db" and not node.args
                        and "no session check" not in lines[node.lineno - 1]
                        and path.name != "session_check.py"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {fn.name}")
    return found


def test_every_service_acting_for_someone_checks_the_session(backend):
    if backend != "sqlite":
        pytest.skip("a source check: once is enough")
    assert _unchecked_transactions() == [], (
        "open these transactions with services.core.session_check.checked_write/checked_read(db, actor)")


def test_a_registrant_keeps_working_for_the_unit_under_review(db):
    """BJ-05: after 【提交】 the registrant's identity belongs to the pending unit; pending is not disabled,
    but only for the registrant role, and a disabled pending unit still ends the session."""
    import dataclasses

    from services.core.actor import Actor

    with db.write() as s:
        org = Organisation(kind="enterprise", status="pending", name="待审单位")
        s.add(org)
        s.flush()
        user = User(username="zhuce9", real_name="赵敏", password_hash="x", status="active")
        s.add(user)
        s.flush()
        ident = Identity(user_id=user.id, role="registrant", organisation_id=org.id)
        s.add(ident)
        s.flush()
        ids = (user.id, ident.id, org.id)
    actor = Actor(user_id=ids[0], identity_id=ids[1], username="zhuce9", real_name="赵敏", role="registrant",
                  organisation_id=ids[2], organisation_name="待审单位", organisation_kind="enterprise",
                  district_id=None)
    with db.read() as s:
        check_session(s, actor)
    _set(db, Identity, ids[1], role="enterprise_admin")
    with db.read() as s, pytest.raises(SessionEnded):
        check_session(s, actor)
    with db.read() as s, pytest.raises(SessionEnded, match="本单位已停用"):
        check_session(s, dataclasses.replace(actor, role="enterprise_admin"))
    _set(db, Identity, ids[1], role="registrant")
    _set(db, Organisation, ids[2], status="disabled")
    with db.read() as s, pytest.raises(SessionEnded, match="本单位已停用"):
        check_session(s, actor)
