"""A request id for every request: taken from a proxy's X-Request-ID when it is a safe token,
made up otherwise; bound to the logs of everything the request does and echoed in the answer's
X-Request-ID header, so a user's report, the proxy's log and ours can be matched. One log line
per request: method, path (never the query string, which may hold a search for a name), status
and time."""

from __future__ import annotations

import logging
import re
import time
import uuid

from web.hygiene import Message, Receive, Scope, Send
from workflow import logs

HEADER = b"x-request-id"
_SAFE = re.compile(r"[A-Za-z0-9._-]{8,64}")
log = logging.getLogger("ogi.web")


def incoming_or_new(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name.lower() == HEADER:
            text = value.decode("latin-1").strip()
            if _SAFE.fullmatch(text):
                return text
    return uuid.uuid4().hex


class RequestIds:
    def __init__(self, app: object) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # type: ignore[operator]
            return
        rid = incoming_or_new(scope.get("headers", []))
        started = time.perf_counter()
        status = 500  # unless the app answers

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER, rid.encode("ascii"))]
            await send(message)

        with logs.bound(logs.request_id, rid):
            try:
                await self.app(scope, receive, send_with_id)  # type: ignore[operator]
            finally:
                ms = round((time.perf_counter() - started) * 1000, 1)
                extra = {"method": scope.get("method"), "path": scope.get("path"), "status": status, "ms": ms}
                log.info("%s %s %s", scope.get("method"), scope.get("path"), status, extra=extra)
