"""Figures of 动态口令 (BY-08): the login's code step on SQLite, and the lines the enrolment's QR code
takes at 80×24 for the longest user name."""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta, timezone

from bench.figures import Run, produces

REPEATS = 21
PASSWORD = "Bench1234"


@produces(
    ("otp_login_code_ms", "ms", f"median over {REPEATS} logins of services.identity.otp.verify_login_code "
                                "(a fresh TOTP code each time) on SQLite, after the password step"),
    ("otp_qr_lines", "lines", "lines of the enrolment QR code (half blocks, quiet zone 2) for a 40-character "
                              "user name; 21 fit 80×24 under the title"),
)
def otp_figures(run: Run) -> dict[str, float]:
    import pyotp
    from sqlalchemy import create_engine, insert

    from models import Identity, Organisation, User
    from models.db import Database
    from models.migrate import upgrade
    from services.identity import auth, otp, otp_codes
    from services.identity.passwords import hash_password
    from tui.qr_art import qr_lines

    url = f"sqlite:///{run.workdir / 'otp.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(Organisation), [{"id": 1, "kind": "enterprise", "name": "物业服务企业",
                                             "credit_code": "911101050000000001"}])
        conn.execute(insert(User), [{"id": 1, "username": "otpbench", "password_hash": hash_password(PASSWORD),
                                     "real_name": "王芳", "status": "active"}])
        conn.execute(insert(Identity), [{"id": 1, "user_id": 1, "organisation_id": 1, "role": "enterprise_admin",
                                         "status": "active"}])
    engine.dispose()
    db = Database(url)
    try:
        login = auth.authenticate(db, "otpbench", PASSWORD)
        actor = auth.enter(db, login, login.identities[0].identity_id)
        enrolment = otp.begin_enrolment(db, actor)
        totp = pyotp.TOTP(enrolment.secret)
        start = datetime.now(timezone.utc)
        otp.confirm_enrolment(db, actor, totp.at(start), now=start)
        times = []
        for n in range(1, REPEATS + 1):
            when = start + timedelta(seconds=30 * n)
            login = auth.authenticate(db, "otpbench", PASSWORD, now=when)
            began = time.perf_counter()
            otp.verify_login_code(db, login, totp.at(when), now=when)
            times.append((time.perf_counter() - began) * 1000)
    finally:
        db.dispose()
    lines = qr_lines(otp_codes.provisioning_uri(otp_codes.new_secret(), "a" * 40, otp.ISSUER))
    return {"otp_login_code_ms": round(statistics.median(times), 2), "otp_qr_lines": len(lines)}
