"""A real HTTP server on a loopback address, answering from a script (for the link checker).

    with LocalServer() as server:
        url = server.route("/flaky", sequence(Reply(500), Reply(200)))
        ...
        assert [r.method for r in server.requests] == ["HEAD", "HEAD"]

A route is a ``Reply``, or a function of the request (``sequence``, ``by_method``) that returns
one. A reply can wait before answering, reset the connection (an RST, not a polite close), or
stream a body of any size, counting the bytes it managed to send. The server speaks HTTP/1.1
with keep-alive, like real ones; ``gauge`` counts the requests in flight, so a test can assert
the most it ever saw at once (pass one ``Gauge`` to several servers for a total).
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds before the answer
    reset: bool = False  # drop the connection with an RST instead of answering
    stream_bytes: int = 0  # a body of this many bytes, sent in chunks (instead of ``body``)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    client_port: int  # one per connection: tells whether connections were reused


Handler = Reply | Callable[[Seen], Reply]


def sequence(*replies: Reply) -> Callable[[Seen], Reply]:
    """The replies in turn (whatever the method), then the last one for ever."""
    remaining = list(replies)
    lock = threading.Lock()

    def answer(seen: Seen) -> Reply:
        with lock:
            return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return answer


def by_method(**replies: Handler) -> Callable[[Seen], Reply]:
    """``by_method(HEAD=Reply(405), GET=Reply(200))``; a method not named gets a 405."""

    def answer(seen: Seen) -> Reply:
        handler = replies.get(seen.method, Reply(405))
        return handler if isinstance(handler, Reply) else handler(seen)

    return answer


def redirect(status: int, location: str) -> Reply:
    return Reply(status, {"Location": location})


class Gauge:
    """Requests in flight now, and the most there ever were."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current = 0
        self.peak = 0

    def __enter__(self) -> Gauge:
        with self._lock:
            self.current += 1
            self.peak = max(self.peak, self.current)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.current -= 1


@dataclass
class Streamed:
    """What one streamed body achieved: bytes handed to the socket, and how it ended."""

    sent: int = 0
    finished: bool = False  # False: the client closed the connection before the end
    done: threading.Event = field(default_factory=threading.Event)


class _Abort(Exception):
    """Stop handling this connection (it was reset on purpose)."""


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle keep-alive connection does not keep its thread for ever
    server: _Server

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        seen = Seen(self.command, self.path, headers, self.client_address[1])
        owner.record(seen)
        handler = owner.routes.get(path, Reply(404, body=b"not found"))
        reply = handler if isinstance(handler, Reply) else handler(seen)
        with owner.gauge:
            if reply.delay:
                time.sleep(reply.delay)
            if reply.reset:
                # SO_LINGER with a zero timeout: close() sends an RST, as a crashing server does.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                raise _Abort
            length = reply.stream_bytes or len(reply.body)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if self.command == "HEAD":
                return
            if reply.stream_bytes:
                self._stream(owner, path, reply.stream_bytes)
            else:
                self.wfile.write(reply.body)

    def _stream(self, owner: LocalServer, path: str, size: int) -> None:
        streamed = owner.streams.setdefault(path, Streamed())
        chunk = b"x" * CHUNK
        try:
            while streamed.sent < size:
                self.wfile.write(chunk[: size - streamed.sent])
                streamed.sent += min(CHUNK, size - streamed.sent)
            streamed.finished = True
        except OSError:
            self.close_connection = True
        finally:
            streamed.done.set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024  # many clients connect at once; the default 5 drops SYNs
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up (timeouts, huge bodies, resets) are the point of the tests


class LocalServer:
    """A scripted HTTP(S) server on ``host`` (any 127.x.y.z address works on Linux)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        *,
        gauge: Gauge | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.gauge = gauge or Gauge()
        self.routes: dict[str, Handler] = {}
        self.requests: list[Seen] = []
        self.streams: dict[str, Streamed] = {}
        self._lock = threading.Lock()
        self._server = _Server((host, 0), _RequestHandler)
        self._server.owner = self
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        """Answer ``path`` with ``handler``; returns the path's URL."""
        self.routes[path] = handler
        return self.url(path)

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]
