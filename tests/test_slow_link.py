"""The bench's slow link delays every byte by its one-way delay and carries no more than its rate."""

import socket
import threading
import time

from bench.slow_link import SlowLink


def echo_server() -> tuple[socket.socket, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            while data := conn.recv(65536):
                conn.sendall(data)

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


def receive(conn: socket.socket, size: int) -> bytes:
    got = b""
    while len(got) < size:
        chunk = conn.recv(65536)
        assert chunk, "the link closed early"
        got += chunk
    return got


def test_delay_and_rate_both_ways():
    listener, port = echo_server()
    with listener, SlowLink(port, rate_bps=320_000, delay_s=0.05) as link:
        with socket.create_connection(("127.0.0.1", link.port)) as conn:
            started = time.monotonic()
            conn.sendall(b"x")
            assert receive(conn, 1) == b"x"
            assert time.monotonic() - started >= 0.1  # 50 ms each way
            payload = bytes(range(256)) * 40  # 10,240 B: 0.256 s at 320 kbit/s, each way
            started = time.monotonic()
            conn.sendall(payload)
            assert receive(conn, len(payload)) == payload
            assert time.monotonic() - started >= 0.256 + 0.1
