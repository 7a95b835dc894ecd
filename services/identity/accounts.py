"""The acting user's own account."""

from __future__ import annotations

from sqlalchemy import update

from models import User
from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.errors import ValidationError
from services.core.functions import require
from services.core.session_check import checked_read, checked_write
from services.identity.passwords import hash_password, verify_password
from services.identity.passwords_policy import check_new_password


def change_password(db, actor: Actor, old: str, new: str, confirm: str) -> None:
    require(actor, "change_password")
    if not old:
        raise ValidationError("请输入原密码", field="old")
    check_new_password(new, confirm, old=old, username=actor.username)
    with checked_read(db, actor) as session:
        current_hash = session.get(User, actor.user_id).password_hash
    if not verify_password(current_hash, old):
        raise ValidationError("原密码错误", field="old")
    new_hash = hash_password(new)
    with checked_write(db, actor) as session:
        session.execute(
            update(User)
            .where(User.id == actor.user_id)
            .values(password_hash=new_hash, must_change_password=False, version=User.version + 1)
        )
        record_action(session, actor, "修改密码")
