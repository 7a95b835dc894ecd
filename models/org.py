"""Organisations, districts and the people who log in for them."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow

ORG_KINDS = ("enterprise", "office", "authority", "developer", "platform")
ROLES = (
    "enterprise_admin",
    "enterprise_operator",
    "office_operator",
    "reviewer",
    "sysadmin",
    "registrant",
)


class District(SQLModel, table=True):
    __tablename__ = "district"

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True)
    name: str = Field(max_length=40)
    city: str = Field(max_length=20)


class Organisation(SQLModel, table=True):
    """A property enterprise, one of its community offices, a district department or a developer.

    Core fields (name, credit code, type, legal representative) change only through review;
    the auxiliary ones are the unit's own to edit (BJ-25).
    """

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('enterprise','office','authority','developer','platform')", name="ck_org_kind"
        ),
        CheckConstraint("status IN ('pending','active','disabled')", name="ck_org_status"),
        CheckConstraint("registered_capital_fen IS NULL OR registered_capital_fen >= 0", name="ck_org_capital"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12, index=True)
    parent_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    district_id: Optional[int] = Field(default=None, foreign_key="district.id", index=True)
    status: str = Field(default="active", max_length=10)
    # core information
    name: str = Field(max_length=100, index=True)
    credit_code: Optional[str] = Field(default=None, max_length=18, unique=True)
    org_code: Optional[str] = Field(default=None, max_length=10)
    org_type: Optional[str] = Field(default=None, max_length=30)
    legal_rep_name: Optional[str] = Field(default=None, max_length=40)
    legal_rep_id_type: Optional[str] = Field(default=None, max_length=20)
    legal_rep_id_no: Optional[str] = Field(default=None, max_length=30)
    # auxiliary information
    address: Optional[str] = Field(default=None, max_length=200)
    postcode: Optional[str] = Field(default=None, max_length=6)
    office_address: Optional[str] = Field(default=None, max_length=200)
    office_postcode: Optional[str] = Field(default=None, max_length=6)
    phone: Optional[str] = Field(default=None, max_length=30)
    other_phone: Optional[str] = Field(default=None, max_length=30)
    email: Optional[str] = Field(default=None, max_length=100)
    fax: Optional[str] = Field(default=None, max_length=30)
    founded_on: Optional[date] = None
    registered_capital_fen: Optional[int] = Field(default=None, sa_type=BigInteger)
    ownership: Optional[str] = Field(default=None, max_length=30)
    economic_type: Optional[str] = Field(default=None, max_length=30)
    legal_rep_phone: Optional[str] = Field(default=None, max_length=30)
    legal_rep_mobile: Optional[str] = Field(default=None, max_length=11)
    competent_dept: Optional[str] = Field(default=None, max_length=100)
    industry: Optional[str] = Field(default=None, max_length=50)
    licence_no: Optional[str] = Field(default=None, max_length=40)
    tax_no: Optional[str] = Field(default=None, max_length=40)
    contact_name: Optional[str] = Field(default=None, max_length=40)
    contact_mobile: Optional[str] = Field(default=None, max_length=11)
    # the rest of the auxiliary information the Beijing manual lists (8.2)
    unit_id_no: Optional[str] = Field(default=None, max_length=40)
    fund_type: Optional[str] = Field(default=None, max_length=30)
    admin_relation: Optional[str] = Field(default=None, max_length=30)
    legal_person: Optional[str] = Field(default=None, max_length=2)  # 是 / 否
    budget_code: Optional[str] = Field(default=None, max_length=40)
    approval_doc: Optional[str] = Field(default=None, max_length=100)
    dept_budget_code: Optional[str] = Field(default=None, max_length=40)
    bank_permit: Optional[str] = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class EnterpriseRegister(SQLModel, table=True):
    """The enterprise register the 质监校验 of a unit-name change checks against (BJ-25): which name a
    credit code is registered under. Imported by the administrator; the demo fills it."""

    __tablename__ = "enterprise_register"

    credit_code: str = Field(max_length=18, primary_key=True)
    name: str = Field(max_length=100)
    source: str = Field(default="导入", max_length=40)
    updated_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    """A person's login. Their roles come from their identities."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("status IN ('pending','active','disabled')", name="ck_user_status"),
        CheckConstraint("failed_attempts >= 0", name="ck_user_failed"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    username: Optional[str] = Field(default=None, max_length=40, unique=True)
    mobile: Optional[str] = Field(default=None, max_length=11, index=True)
    real_name: str = Field(max_length=40)
    id_type: Optional[str] = Field(default=None, max_length=20)
    id_no: Optional[str] = Field(default=None, max_length=30)
    email: Optional[str] = Field(default=None, max_length=100)
    password_hash: str = Field(max_length=200)
    status: str = Field(default="active", max_length=10)
    failed_attempts: int = Field(default=0)
    locked_until: Optional[datetime] = None
    must_change_password: bool = Field(default=False)
    cert_no: Optional[str] = Field(default=None, max_length=40, unique=True)
    totp_secret: Optional[str] = Field(default=None, max_length=200)  # sealed: services.identity.otp_secret
    # set once the administrator confirmed the authenticator with a code; the last accepted time step
    # refuses a replayed code
    totp_confirmed_at: Optional[datetime] = None
    totp_last_step: Optional[int] = None
    # a key issued before the system started: its holder confirms their details on first login (BJ-07)
    legacy_key: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    last_login_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class Identity(SQLModel, table=True):
    """One role a user holds in one organisation (SH-05: several identities → a choice at login).

    A mobile number binds to at most one identity of each role, so two people can never share
    an operator account through one phone.
    """

    __tablename__ = "identity"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id", "role", name="uq_identity_user_org_role"),
        UniqueConstraint("mobile", "role", name="uq_identity_mobile_role"),
        CheckConstraint(
            "role IN ('enterprise_admin','enterprise_operator','office_operator','reviewer','sysadmin','registrant')",
            name="ck_identity_role",
        ),
        CheckConstraint("status IN ('active','disabled')", name="ck_identity_status"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    role: str = Field(max_length=24)
    mobile: Optional[str] = Field(default=None, max_length=11)
    department: Optional[str] = Field(default=None, max_length=100)
    status: str = Field(default="active", max_length=10)
    remark: Optional[str] = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)  # compared on every edit by an administrator (SH-10)


class SshKey(SQLModel, table=True):
    """An SSH public key bound by the enterprise administrator to one identity (issue 13): a session
    that sshd authenticated with this key starts as that identity, and the password is the second
    factor. One key names one identity, and an identity has one key."""

    __tablename__ = "ssh_key"

    id: Optional[int] = Field(default=None, primary_key=True)
    identity_id: int = Field(foreign_key="identity.id", unique=True)
    fingerprint: str = Field(max_length=60, unique=True)  # "SHA256:…", as ssh-keygen -l prints it
    key_type: Optional[str] = Field(default=None, max_length=40)  # known when the key itself was pasted
    bound_by: int = Field(foreign_key="user_account.id")
    bound_at: datetime = Field(default_factory=utcnow)
