"""The memory of one app process on a clerk's journey, run as its own process so nothing else is counted:

    python -m bench.rss_journey DATABASE_URL REPEATS

Logs in as qyjb (the demo's enterprise operator), then REPEATS times: opens the house grid of the 33-floor tower
(新建任务单 → the first community → its first building), goes back, discards the draft, and prints the signature
table of the order at the top of the list. Prints JSON: the resident set (MB) at the login screen, after the first
journey, half way and after the last; the private part of the last; what the collections after closed screens took.
"""

from __future__ import annotations

import asyncio
import json
import sys


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def private_mb() -> float:
    """The resident memory no other process shares: what one more clerk costs the server."""
    private = 0
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1])
    return private / 1024


async def settle(pilot) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot, screen_name: str) -> None:
    for _ in range(200):
        if type(pilot.app.screen).__name__ == screen_name:
            return
        await settle(pilot)
        await pilot.pause(0.05)
    raise RuntimeError(f"{screen_name} did not open; the screen is {type(pilot.app.screen).__name__}")


async def journey(url: str, repeats: int) -> dict[str, float]:
    from models.db import Database
    from services.demo.accounts import DEMO_PASSWORD
    from tui.app import WxzjApp
    from tui.config import Config

    app = WxzjApp(Config(database_url=url), database=Database(url))
    figures = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        figures["login"] = rss_mb()
        for text in ("qyjb", DEMO_PASSWORD, app.screen.captcha.code):
            await pilot.press(*text, "enter")
        await until(pilot, "HomeScreen")
        await pilot.press("enter")
        await until(pilot, "TaskOrderHomeScreen")
        for round_no in range(repeats):
            await pilot.press("f2")
            await until(pilot, "CommunitySelectScreen")
            await pilot.press("enter")
            await until(pilot, "TaskOrderFormScreen")
            app.screen.query_one("#buildings").focus()
            await pilot.press("enter")
            await until(pilot, "HouseGridScreen")
            await pilot.press("escape")
            await until(pilot, "TaskOrderFormScreen")
            await pilot.press("f8", "y")
            await until(pilot, "TaskOrderHomeScreen")
            await pilot.press("f9")  # 打印到户明细业主签字表
            await settle(pilot)
            if round_no == 0:
                figures["first"] = rss_mb()
            if round_no == repeats // 2 - 1:
                figures["half"] = rss_mb()
        figures["last"] = rss_mb()
        figures["private_last"] = private_mb()
        collections = sorted(app.memory.durations_ms)
        figures["gc_median_ms"] = collections[len(collections) // 2]
        figures["gc_p95_ms"] = collections[int(len(collections) * 0.95)]
    return figures


def main(argv: list[str]) -> int:
    print(json.dumps(asyncio.run(journey(argv[0], int(argv[1])))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
