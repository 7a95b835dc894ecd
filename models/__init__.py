"""The tables. Importing this package registers every table on SQLModel.metadata."""

from models.estate import Association, Building, Community, House, OfficeCommunity, Owner
from models.fund import Freeze, FundAccount, LedgerEntry
from models.org import District, Identity, Organisation, User
from models.records import Attachment, AuditEntry, BusinessLog, NumberCounter, PrintedDocument
from models.task import TaskOrder, TaskOrderHouse, TaskOrderLine

__all__ = [
    "Association", "Attachment", "AuditEntry", "Building", "BusinessLog", "Community", "District",
    "Freeze", "FundAccount", "House", "Identity", "LedgerEntry", "NumberCounter", "OfficeCommunity",
    "Organisation", "Owner", "PrintedDocument", "TaskOrder", "TaskOrderHouse", "TaskOrderLine", "User",
]
