"""Communities, buildings, houses and their owners."""

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow


class Community(SQLModel, table=True):
    __tablename__ = "community"
    __table_args__ = (UniqueConstraint("district_id", "name", name="uq_community_district_name"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=100, index=True)
    district_id: int = Field(foreign_key="district.id", index=True)
    developer_id: int = Field(foreign_key="organisation.id", index=True)
    address: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class OfficeCommunity(SQLModel, table=True):
    """The one community a community office (小区管理处) works for."""

    __tablename__ = "office_community"

    office_id: int = Field(foreign_key="organisation.id", primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)


class AssociationApplication(SQLModel, table=True):
    """One 物业区域关联 application: the communities ticked together, reviewed together by the district."""

    __tablename__ = "association_application"
    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','returned')", name="ck_assoc_app_status"),
        Index("ix_assoc_app_district_status", "district_id", "status", "submitted_at"),
        Index("ix_assoc_app_enterprise", "enterprise_id", "submitted_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    application_no: str = Field(max_length=24, unique=True)
    enterprise_id: int = Field(foreign_key="organisation.id")
    district_id: int = Field(foreign_key="district.id")
    status: str = Field(default="pending", max_length=10)
    paper_materials: bool = Field(default=False, description="跳过: the paper goes to the department")
    submitted_by: int = Field(foreign_key="user_account.id")
    submitted_at: datetime = Field(default_factory=utcnow)
    reviewed_by: Optional[int] = Field(default=None, foreign_key="user_account.id")
    reviewed_at: Optional[datetime] = None
    reason: Optional[str] = Field(default=None, max_length=500)
    version: int = Field(default=1)


class Association(SQLModel, table=True):
    """物业区域关联: an enterprise may work on a community once the authority approves."""

    __tablename__ = "association"
    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','rejected','withdrawn')", name="ck_assoc_status"),
        Index("ix_association_enterprise_status", "enterprise_id", "status"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="organisation.id")
    community_id: int = Field(foreign_key="community.id", index=True)
    status: str = Field(default="pending", max_length=10)
    application_no: Optional[str] = Field(default=None, max_length=24, unique=True)
    submitted_by: Optional[int] = Field(default=None, foreign_key="user_account.id")
    submitted_at: datetime = Field(default_factory=utcnow)
    reviewed_by: Optional[int] = Field(default=None, foreign_key="user_account.id")
    reviewed_at: Optional[datetime] = None
    reason: Optional[str] = Field(default=None, max_length=500)
    application_id: Optional[int] = Field(default=None, foreign_key="association_application.id", index=True)


class Building(SQLModel, table=True):
    """自然幢. Its shape lives in its houses: units, floors and rooms may differ per unit.

    floors_above / floors_below count floors (not labels): a 21-storey label range without
    floors 4, 13 and 14 has floors_above = 18.
    """

    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("community_id", "name", name="uq_building_community_name"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=40)
    sort_key: int = Field(default=0)
    units: int = Field(ge=1)
    floors_above: int = Field(ge=1)
    floors_below: int = Field(default=0, ge=0)
    structure: Optional[str] = Field(default=None, max_length=20)
    built_year: Optional[int] = None


class Owner(SQLModel, table=True):
    """业主: a person, or an organisation (the developer holds the unsold houses)."""

    __tablename__ = "owner"
    __table_args__ = (
        CheckConstraint("kind IN ('person','organisation')", name="ck_owner_kind"),
        UniqueConstraint("id_type", "id_no", name="uq_owner_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(default="person", max_length=12)
    name: str = Field(max_length=100)
    id_type: str = Field(max_length=20)
    id_no: str = Field(max_length=30)
    phone: Optional[str] = Field(default=None, max_length=30)
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)


class House(SQLModel, table=True):
    """房屋: one room position of one floor of one unit. Floors skip 0 and may be negative."""

    __tablename__ = "house"
    __table_args__ = (
        UniqueConstraint("building_id", "unit", "floor", "room", name="uq_house_position"),
        CheckConstraint("area > 0", name="ck_house_area"),
        CheckConstraint("floor <> 0", name="ck_house_floor"),
        CheckConstraint("unit >= 1 AND room >= 1", name="ck_house_unit_room"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    building_id: int = Field(foreign_key="building.id")
    unit: int
    floor: int
    room: int
    room_no: str = Field(max_length=20)
    use: str = Field(default="住宅", max_length=10)
    area: int = Field(description="building area in 0.01 ㎡")
    owner_id: int = Field(foreign_key="owner.id", index=True)
