"""A clerk's process loads what the screens it shows need, not what a rare action needs.

Measured with `python -m bench session_rss_mb`: the task-order list pulled openpyxl and PIL (~8 MB) in
for an export regex, xml.sax.saxutils brought urllib, http.client and email (~1 MB) for `escape`, and
a partial index's `postgresql_where` SQLAlchemy's PostgreSQL dialect (~2 MB) into SQLite processes;
since Home imports the screens of the clerk's functions ahead (screens.shell.registry.warm), the
review deadlines' `holidays` (~12 MB) and the TOTP secrets' `cryptography` (~6 MB) load on first use
too. Checked in a fresh interpreter: this one has loaded everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("openpyxl", "PIL", "defusedxml", "urllib.request", "http.client", "rich._emoji_codes",
         "sqlalchemy.dialects.postgresql", "fpdf", "fontTools", "holidays", "cryptography")

PROBE = """
import json, sys
import models, screens.shell.home, screens.task_orders.home, screens.task_orders.house_grid
import services.identity.auth, services.transfer.export, tui.app
from screens.shell.registry import MODULES, warm
warm(key for key in MODULES if key != "data_import")  # reading XLSX files is that screen's whole job
from sqlalchemy import create_engine
from sqlalchemy.orm import configure_mappers
models.register_all()
configure_mappers()
create_engine("sqlite://").connect().close()
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {top}
                        or name in {heavy})))
"""


def test_the_journey_screens_load_no_heavy_module_for_a_rare_action():
    top = {name.split(".")[0] for name in HEAVY if "." not in name}
    probe = PROBE.format(top=sorted(top), heavy=list(HEAVY))
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_partial_index_keeps_its_postgresql_where_for_alembic():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex

    from models.fund import LedgerEntry, declare_postgresql_where

    declare_postgresql_where()
    index = next(i for i in LedgerEntry.__table__.indexes if i.name == "uq_ledger_entry_order_withdrawal")
    ddl = str(CreateIndex(index).compile(dialect=postgresql.dialect()))
    assert "WHERE kind = 'withdrawal' AND task_order_id IS NOT NULL" in ddl
