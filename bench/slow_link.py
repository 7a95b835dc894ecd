"""A slow WAN link between an SSH client and the server, emulated in user space on loopback.

This kernel has no netem qdisc (`tc qdisc … netem` answers "Specified qdisc kind is unknown"), so the link is a
TCP relay: each direction carries `rate_bps` bits per second, one segment after another, and every segment arrives
`delay_s` after it has been sent, in order. That is what the clerk's 64 kbit/s line with 75 ms each way does to a
byte stream; what it does not model is loss and TCP's own reaction to it.
"""

from __future__ import annotations

import asyncio
import threading

SEGMENT = 1460  # bytes per Ethernet-sized TCP segment


class SlowLink:
    def __init__(self, target_port: int, rate_bps: int = 64_000, delay_s: float = 0.075) -> None:
        self.target_port = target_port
        self.rate_bps = rate_bps
        self.delay_s = delay_s
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SlowLink:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    async def _connection(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        try:
            await asyncio.gather(self._direction(client_r, server_w), self._direction(server_r, client_w),
                                 return_exceptions=True)
        except asyncio.CancelledError:  # the link is being taken down: end quietly, as a cut line would
            client_w.close()
            server_w.close()

    async def _direction(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()

        async def deliver() -> None:
            while (item := await queue.get()) is not None:
                arrive_at, data = item
                if (wait := arrive_at - loop.time()) > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            writer.close()

        sending = asyncio.create_task(deliver())
        line_free_at = 0.0
        try:
            while data := await reader.read(SEGMENT):
                start = max(loop.time(), line_free_at)
                line_free_at = start + len(data) * 8 / self.rate_bps
                queue.put_nowait((line_free_at + self.delay_s, data))
            queue.put_nowait(None)
            await sending
        finally:
            sending.cancel()
