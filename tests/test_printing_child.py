"""Documents are rendered in a child process (services.printing.render_child): the same PDF, the same
refusal of a character no font has, progress from the child, and the app's process never loads fpdf2."""

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from reports import SIGN_SHEET, TASK_ORDER, render
from reports.fonts import UnprintableCharacter
from services.printing.render_child import RenderFailed, render_elsewhere
from tests.pdf_text import pdf_text
from tests.report_samples import STAMP, sample_lines, sample_order


def test_the_child_renders_what_the_process_itself_would():
    data = sample_order(lines=sample_lines(30))
    heard = []
    pdf = render_elsewhere(SIGN_SHEET, data, STAMP, lambda done, total: heard.append((done, total)))
    assert pdf.startswith(b"%PDF") and pdf_text(pdf) == pdf_text(render(SIGN_SHEET, data, STAMP))
    assert heard and heard[-1][0] == heard[-1][1]


def test_a_character_no_font_has_is_refused_as_before():
    data = replace(sample_order(), project_name="项目\U0001FAE8")
    with pytest.raises(UnprintableCharacter, match="项目名称.*U\\+1FAE8") as caught:
        render_elsewhere(TASK_ORDER, data, STAMP)
    assert (caught.value.char, caught.value.field) == ("\U0001FAE8", "project_name")


@pytest.mark.parametrize("lines", [1, 2000], ids=["small", "larger-than-a-pipe"])
def test_a_child_that_dies_is_an_error_not_a_pdf(monkeypatch, lines):
    # 2,000 lines are a request of about 150 KB: the child is gone before it is written (a broken pipe)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(RenderFailed, match="status 1"):
        render_elsewhere(SIGN_SHEET, sample_order(lines=sample_lines(lines)), STAMP)


def test_printing_leaves_fpdf_out_of_the_process(demo_db, demo_url, actor_of):
    from tests.orders import ready_draft

    order_id, buildings = ready_draft(demo_db, actor_of("qyjb"), houses=6)
    script = f"""
import json, sys
from models.db import Database
from services.identity import auth
from services.printing import documents
from services.task_orders import submit
db = Database({demo_url!r})
login = auth.authenticate(db, "qyjb", "Demo@2026")
actor = auth.enter(db, login, login.identities[0].identity_id)
submit.submit(db, actor, {order_id}, {buildings!r})
result = documents.print_document(db, actor, "sign-sheet", {order_id})
print(json.dumps([result.pdf_bytes[:4].decode(), sorted(m for m in sys.modules if m.startswith(("fpdf", "fontTools")))]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    head, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert head == "%PDF" and loaded == []
