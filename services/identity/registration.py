"""未认证用户注册 (BJ-01..03): the form, the activation code by SMS or e-mail, and the account, created in one
transaction only when the code checks out, so an abandoned registration leaves nothing behind but its code.

Every call takes the acting user as the others do; here it is None (nobody is logged in yet).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from models import Identity, User
from services.core.business_log import record_action
from services.core.clock import utcnow
from services.core.errors import ValidationError
from services.identity import ratelimit
from services.identity import validators as v
from services.identity.passwords import hash_password
from services.identity.passwords_policy import check_new_password
from services.notify import codes
from services.notify.outbox import mask_recipient

PURPOSE = "register"
CHANNELS = {"sms": "短信验证码校验", "email": "电子邮箱校验"}
FIELDS = ("real_name", "id_type", "id_no", "unit_name", "credit_code", "mobile", "email", "username", "password",
          "confirm")
LABELS = {
    "real_name": "个人姓名", "id_type": "证件类型", "id_no": "证件号码", "unit_name": "单位名称",
    "credit_code": "社会诚信代码", "mobile": "手机号码", "email": "邮箱", "username": "用户名",
    "password": "登录密码", "confirm": "确认登录密码",
}
DUPLICATE = {"username": "该用户名已被注册", "mobile": "该手机号码已被注册", "email": "该邮箱已被注册"}


@dataclass(frozen=True)
class Registration:
    """The form as validated: codes upper-cased, the ID number in its 18-digit form."""

    real_name: str
    id_type: str
    id_no: str
    unit_name: str
    credit_code: str
    mobile: str
    email: str
    username: str
    password: str

    def unit(self) -> str:
        """The declared unit, kept with the registrant's identity until the unit registration takes it over."""
        return json.dumps({"unit_name": self.unit_name, "credit_code": self.credit_code}, ensure_ascii=False)


def declared_unit(remark: str | None) -> dict[str, str]:
    try:
        data = json.loads(remark or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _validate(values: dict[str, str]) -> Registration:
    real_name = v.required(values.get("real_name"), "个人姓名", "real_name")
    if len(real_name) > 40:
        raise ValidationError("个人姓名不能超过40个字符", field="real_name")
    id_type = (values.get("id_type") or "").strip()
    if id_type not in v.ID_TYPES:
        raise ValidationError("请选择证件类型", field="id_type")
    v.required(values.get("id_no"), "证件号码", "id_no")
    id_no = v.id_number(id_type, values.get("id_no"))
    unit_name = v.required(values.get("unit_name"), "单位名称", "unit_name")
    if len(unit_name) > 100:
        raise ValidationError("单位名称不能超过100个字符", field="unit_name")
    v.required(values.get("credit_code"), "社会诚信代码", "credit_code")
    credit_code = v.credit_code(values.get("credit_code"))
    v.required(values.get("mobile"), "手机号码", "mobile")
    mobile = v.mobile(values.get("mobile"))
    v.required(values.get("email"), "邮箱", "email")
    email = v.email(values.get("email"))
    v.required(values.get("username"), "用户名", "username")
    username = v.username(values.get("username"))
    password = values.get("password") or ""
    if not password:
        raise ValidationError("请输入登录密码", field="password")
    check_new_password(password, values.get("confirm") or "", username=username, field="password")
    return Registration(real_name, id_type, id_no, unit_name, credit_code, mobile, email, username, password)


def _refuse_duplicates(session: Session, form: Registration) -> None:
    for field, column, value in (("username", User.username, form.username), ("mobile", User.mobile, form.mobile),
                                 ("email", User.email, form.email)):
        if field == "email":
            taken = session.execute(select(func.count()).select_from(User)
                                    .where(func.lower(User.email) == value.lower())).scalar_one()
        else:
            taken = session.execute(select(func.count()).select_from(User).where(column == value)).scalar_one()
        if taken:
            raise ValidationError(DUPLICATE[field], field=field)


def check_form(db, actor, values: dict[str, str]) -> Registration:
    """Step 1 【下一步】: every field checked, duplicates refused at their field."""
    form = _validate(values)
    with db.read() as session:  # no session check: before login
        _refuse_duplicates(session, form)
    return form


def recipient(form: Registration, channel: str) -> str:
    if channel not in CHANNELS:
        raise ValidationError("请选择激活方式", field="channel")
    return form.mobile if channel == "sms" else form.email


def send_code(db, actor, form: Registration, channel: str, *, source: str | None = None,
              now: datetime | None = None) -> str:
    """【获取短信验证码】 / e-mail 【下一步】: queue the code; returns the masked address it went to."""
    to = recipient(form, channel)
    ratelimit.hit(db, "register.source", source or ratelimit.LOCAL_SOURCE, field="code", now=now)
    with db.write() as session:  # no session check: before login
        _refuse_duplicates(session, form)
        if channel == "sms":
            codes.send(session, purpose=PURPOSE, channel="sms", recipient=to, source=source, now=now)
        else:
            codes.send(session, purpose=PURPOSE, channel="email", recipient=to, template="activate_email",
                       source=source, now=now, name=form.real_name)
    return mask_recipient(to)


def activate(db, actor, form: Registration, channel: str, code: str, *, source: str | None = None,
             now: datetime | None = None) -> str:
    """【下一步】 after the code: the account and its 未认证用户 identity, in one transaction with the code's use.

    A wrong code counts its try (committed), then the refusal is raised at the code field. Returns the user name.
    """
    now = now or utcnow()
    to = recipient(form, channel)
    ratelimit.hit(db, "code_check.source", source or ratelimit.LOCAL_SOURCE, field="code", now=now)
    ratelimit.hit(db, "code_check.recipient", to, field="code", now=now)
    password_hash = hash_password(form.password)  # slow: outside the write transaction
    problem = None
    with db.write() as session:  # no session check: before login
        problem = codes.check(session, purpose=PURPOSE, recipient=to, code=code, now=now)
        if problem is None:
            _refuse_duplicates(session, form)
            user = User(username=form.username, mobile=form.mobile, email=form.email, real_name=form.real_name,
                        id_type=form.id_type, id_no=form.id_no, password_hash=password_hash, status="active",
                        created_at=now)
            session.add(user)
            session.flush()
            session.add(Identity(user_id=user.id, organisation_id=None, role="registrant", mobile=form.mobile,
                                 remark=form.unit()[:200], created_at=now))
            record_action(session, None, "未认证用户注册", user_id=user.id,
                          summary=f"{form.real_name}注册未认证用户（{CHANNELS[channel]}）",
                          detail={"username": form.username, "channel": channel})
    if problem:
        raise ValidationError(problem, field="code")
    return form.username


def as_values(form: Registration) -> dict[str, str]:
    """The form back as field values (to refill step 1 when the clerk goes back)."""
    values = asdict(form)
    values["confirm"] = form.password
    return values
