"""Run in separate OS processes by test_auth_lockout: wrong passwords at one agreed moment."""

from __future__ import annotations

import time


def guess(url: str, username: str, password: str, start_at: float, in_flight_s: float | None = None) -> str:
    from models.db import Database
    from services.core.errors import ServiceError
    from services.identity import auth

    if in_flight_s is not None:  # a loaded test machine: checks still running may take longer than in service
        auth.IN_FLIGHT_S = in_flight_s
    db = Database(url)
    time.sleep(max(0.0, start_at - time.time()))
    try:
        auth.authenticate(db, username, password)
        return "in"
    except auth.AccountLocked:
        return "locked"
    except ServiceError as error:
        return error.message
    finally:
        db.dispose()
