"""The operator list (操作员管理) as the bench measures it: the app's own screen over the database in
WXZJ_BENCH_DATABASE_URL, opened for its identity 1 (an enterprise administrator) without the login.

Run as a script (`python bench/operators_app.py`); ctrl+q quits.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "256")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.app import WxzjApp  # noqa: E402
from tui.config import Config  # noqa: E402


class OperatorsBenchApp(WxzjApp):
    CSS_PATH = str(ROOT / "tui" / "wxzj.tcss")  # relative paths resolve beside this file

    def on_mount(self, event) -> None:
        event.prevent_default()  # no login screen
        from screens.admin.operators import OperatorListScreen
        from services.identity.auth import actor_for_identity

        self.actor = actor_for_identity(self.database(), 1)
        self.push_screen(OperatorListScreen())


if __name__ == "__main__":
    OperatorsBenchApp(Config(database_url=os.environ["WXZJ_BENCH_DATABASE_URL"], idle_lock_minutes=0)).run()
