"""Figures of big orders on screen: opening the confirmation of a 20,000-house order."""

from __future__ import annotations

import asyncio
import statistics
import time

from bench.figures import Run, produces

LINES = 20_000
REPEATS = 3


def confirmation(lines: int = LINES):
    """A Confirmation of `lines` synthetic houses, as submit.preview returns it."""
    from services.demo.dates import plan_dates
    from reports.data import LineData
    from services.task_orders.submit import Confirmation

    rows = [LineData(f"{1 + i // 500}号楼", 1 + i % 5, 1 + i % 25, f"{1 + i % 25}{1 + i % 4:02d}", f"业主{i:05d}",
                     8_000 + i % 5_000, 100_000 + i, 90_000 + i, 10_000, house_id=i + 1) for i in range(lines)]
    values = {"project_name": "外墙维修", "repair_category": "外墙", "repair_part": "外墙", "repair_content": "外墙保温修复",
              "emergency": "否", "budget": "3000000.00", "amount": "2500000.00", "method": "按建筑面积",
              "rate": "12.00", "contact_name": "王芳", "contact_phone": "13812345678", "contractor": "",
              **plan_dates()}
    return Confirmation(1, values, lines, sum(r.area for r in rows), 2_500_000_00, tuple(rows),
                        sum(r.deducted for r in rows), sum(r.arrears for r in rows), lines)


async def _open_ms(data) -> float:
    from textual.app import App

    from screens.task_orders.confirm import TaskOrderConfirmScreen
    from services.core.errors import ServiceError
    from tui.lines_view import LinesView

    class _NoDatabase:
        def write(self):
            raise ServiceError("bench: no database")

    class BenchApp(App):
        actor = None

        def database(self):
            return _NoDatabase()

    app = BenchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        painted = asyncio.Event()
        original = LinesView.render_line

        def render_line(view, y):
            painted.set()
            return original(view, y)

        LinesView.render_line = render_line
        try:
            started = time.perf_counter()
            app.push_screen(TaskOrderConfirmScreen(data, []))
            await asyncio.wait_for(painted.wait(), 30)
            elapsed = time.perf_counter() - started
        finally:
            LinesView.render_line = original
        await pilot.press("end")  # keys answer: the cursor goes to the last of 20,000 lines
        assert app.screen.query_one(LinesView).cursor_row == len(data.lines) - 1
    return elapsed * 1000


@produces(("lines_open_20k_ms", "ms", f"median of {REPEATS}: from pushing the confirmation screen of a "
                                      f"{LINES:,}-house order (lines ready) to the first paint of its lines, "
                                      "80×24 headless; target ≤ 150"))
def lines_figures(run: Run) -> dict[str, float]:
    data = confirmation()
    times = [asyncio.run(_open_ms(data)) for _ in range(REPEATS)]
    return {"lines_open_20k_ms": statistics.median(times)}
