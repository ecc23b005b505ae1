"""gunicorn's threaded worker, with the errors gunicorn answers itself (before the app sees the
request) as problem+json like every other error of the API, instead of gunicorn's HTML page.

Imported only by `glossary serve`, since it imports gunicorn."""

from __future__ import annotations

import contextlib
import json
import socket

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

# the request line gunicorn accepts (its default; 8190 at most): what the 414 tells the client
REQUEST_LINE_LIMIT = 4094
_ANSWERED = {
    LimitRequestLine: (414, "URI Too Long", f"the request line is longer than {REQUEST_LINE_LIMIT} bytes"),
    LimitRequestHeaders: (431, "Request Header Fields Too Large", "the request's header fields are too large"),
}


def problem_bytes(status: int, reason: str, detail: str) -> bytes:
    """A complete HTTP/1.1 response carrying a problem+json document; the connection closes."""
    body = json.dumps(
        {"type": f"https://glossary.invalid/problems/{status}", "title": reason, "status": status, "detail": detail}
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n\r\n"
    )
    return head.encode("latin-1") + body


class ProblemWorker(ThreadWorker):
    """ThreadWorker answering an over-long request line (414) or header (431) in problem+json."""

    def handle_error(self, req: object, client: socket.socket, addr: tuple[str, int], exc: BaseException) -> None:
        for kind, (status, reason, detail) in _ANSWERED.items():
            if isinstance(exc, kind):
                self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
                with contextlib.suppress(OSError):  # a client that has gone needs telling nothing
                    util.write_nonblock(client, problem_bytes(status, reason, detail))
                return
        super().handle_error(req, client, addr, exc)
