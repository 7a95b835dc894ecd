"""BY-04: a session killed in the middle of an order loses nothing that was saved."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from screens.task_orders.house_grid import HouseGridScreen
from screens.task_orders.form import TaskOrderFormScreen
from services.demo.accounts import DEMO_PASSWORD
from tests.pilot import login, settle
import pytest

pytestmark = pytest.mark.both_backends

ROOT = Path(__file__).resolve().parent.parent


async def test_a_killed_session_reopens_its_draft_where_it_was(make_demo_app, demo_url):
    worker = subprocess.Popen([sys.executable, "-m", "tests.draft_kill_worker", demo_url], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "TEXTUAL_ANIMATIONS": "none"})
    try:
        assert worker.stdout.readline().strip() == "READY"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL

    app = make_demo_app()
    async with app.run_test(size=(100, 36)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DraftsDialog"
        await pilot.press("enter")
        await settle(pilot)
        # Reopened at the grid of the building, with the saved houses yellow.
        assert isinstance(app.screen, HouseGridScreen)
        assert len(app.screen.saved) > 0
        await pilot.press("escape")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskOrderFormScreen)
        assert form.query_one("#project_name").value == "电梯更换"
        assert form.query_one("#repair_category").value == "电梯"
        assert len(form.query_one("#buildings").selected) == 1
