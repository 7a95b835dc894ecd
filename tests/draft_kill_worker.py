"""Run as a separate process by test_draft_recovery: a clerk's session that gets SIGKILLed.

It logs in, starts an order, fills some fields, saves houses in the grid, then says READY and
waits to be killed — nothing is shut down gracefully.
"""

import asyncio
import sys
import time


async def main(url: str) -> None:
    from models.db import Database
    from services.demo.accounts import DEMO_PASSWORD
    from tests.pilot import login, settle, type_text
    from tui.app import WxzjApp
    from tui.config import Config

    app = WxzjApp(Config(database_url=url), database=Database(url))
    async with app.run_test(size=(100, 36)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "电梯更换")
        await pilot.press("enter", "right", "right", "right", "tab")  # 维修类别: 电梯
        await settle(pilot)
        app.screen.query_one("#buildings").focus()
        await pilot.press("space", "enter")
        await settle(pilot)
        await pilot.press("a", "f2")
        await settle(pilot)
        await type_text(pilot, "half")  # typed, not yet anywhere: this is what a kill may lose
        print("READY", flush=True)
        time.sleep(600)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
