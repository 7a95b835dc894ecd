"""The tables, importable as `from models import House`.

The table modules are loaded on first use (PEP 562), so `models.schema`, which the start-up check
needs, costs no SQLAlchemy import. `register_all()` loads every table onto SQLModel.metadata.
"""

from importlib import import_module

_MODULE_OF = {
    "RealNameRecord": "admin", "RealNameRequest": "admin",
    "Association": "estate", "AssociationApplication": "estate", "EnterpriseRegister": "org", "Building": "estate", "Community": "estate", "House": "estate",
    "OfficeCommunity": "estate", "Owner": "estate",
    "OwnerConsent": "consent",
    "OutboxMessage": "notify", "RateEvent": "notify", "VerificationCode": "notify",
    "Freeze": "fund", "FundAccount": "fund", "LedgerEntry": "fund",
    "District": "org", "Identity": "org", "Organisation": "org", "SshKey": "org", "User": "org",
    "Attachment": "records", "AuditEntry": "records", "AuditHead": "records", "BusinessLog": "records",
    "LoginGuard": "records", "NumberCounter": "records", "PrintedDocument": "records",
    "RecoveryCode": "registration", "UnitApplication": "registration",
    "TaskOrder": "task", "TaskOrderHouse": "task", "TaskOrderLine": "task",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    return getattr(import_module(f"models.{_MODULE_OF[name]}"), name)


def register_all():
    """Import every table module and return the metadata that holds them."""
    for module in sorted(set(_MODULE_OF.values())):
        import_module(f"models.{module}")
    from sqlmodel import SQLModel

    return SQLModel.metadata
