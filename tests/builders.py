"""Small, explicit builders for test data (the demo generator is tested on its own)."""

from __future__ import annotations

import itertools

from models import District, Identity, Organisation, User
from services.identity.passwords import hash_password

PASSWORD = "Secret123"
_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)


class Builder:
    def __init__(self, db) -> None:
        self.db = db

    def district(self, name: str = "朝阳区") -> District:
        with self.db.write() as s:
            row = District(code=f"11{next(_counter):04d}", name=name, city="北京市")
            s.add(row)
            s.flush()
            return row

    def organisation(self, kind: str = "enterprise", name: str | None = None, **fields) -> Organisation:
        n = next(_counter)
        with self.db.write() as s:
            row = Organisation(kind=kind, name=name or f"测试物业服务有限公司{n}",
                               credit_code=fields.pop("credit_code", f"91110105MA{n:08d}"), **fields)
            s.add(row)
            s.flush()
            return row

    def user(self, username: str, *, roles: tuple[tuple[str, int | None], ...] = (("enterprise_operator", None),),
             password_hash: str = _HASH, real_name: str = "张伟", mobile: str | None = None, **fields) -> User:
        with self.db.write() as s:
            user = User(username=username, real_name=real_name, password_hash=password_hash, mobile=mobile,
                        **fields)
            s.add(user)
            s.flush()
            for role, org_id in roles:
                s.add(Identity(user_id=user.id, organisation_id=org_id, role=role, mobile=mobile))
            return user
