"""Input hygiene at the door, before any handler or database sees a byte: bodies over 1 MB get 413
without being parsed; NUL and other control characters (tab and line breaks aside) and text made
only of blanks or zero-width characters get 422 naming the field. PostgreSQL cannot store NUL in
text, so without this a NUL anywhere was a 500 before login."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

MAX_BODY = 1_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_SECRET = {"password", "csrf"}  # free-form: a password may be anything but control characters

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def text_problem(field: str, value: str, *, blank: bool) -> str | None:
    """Why `value` is refused, or None."""
    if _CONTROL.search(value):
        return f"{field}：含有不可见的控制字符（如 NUL），请删除后重试"
    if blank and value and field not in _SECRET and _INVISIBLE.fullmatch(value):
        return f"{field}：不能只填空格或不可见字符"
    return None


def _walk(value: Any, path: str) -> tuple[str, str] | None:
    """The first (field, problem) in a decoded JSON document."""
    if isinstance(value, str):
        problem = text_problem(path or "body", value, blank=True)
        return (path or "body", problem) if problem else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        name = f"{path}.{key}" if path else str(key)
        if _CONTROL.search(str(key)):
            return name, f"{name}：字段名含有控制字符"
        found = _walk(item, name)
        if found:
            return found
    return None


def _pairs(raw: bytes) -> list[tuple[str, str]]:
    return parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)


def body_problem(content_type: str, body: bytes) -> tuple[str, str] | None:
    if content_type.startswith("application/json"):
        try:
            return _walk(json.loads(body), "")
        except ValueError:  # the framework answers malformed JSON itself
            return None
    if content_type.startswith("application/x-www-form-urlencoded"):
        for key, value in _pairs(body):
            problem = text_problem(key, value, blank=True)
            if problem:
                return key, problem
    return None


async def _answer(send: Send, status: int, rule: str, message: str, field: str | None) -> None:
    body = json.dumps({"error": {"rule": rule, "message": message, "field": field}}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class InputHygiene:
    """ASGI middleware (outermost)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = address_problem(scope)
        if found:
            await _answer(send, 422, "input.control_char", found[1], found[0])
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        length = headers.get("content-length", "")
        too_large = f"请求内容超过 {self.limit // 1_000_000} MB"
        if length.isdigit() and int(length) > self.limit:
            await _answer(send, 413, "input.too_large", too_large, None)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        body = await self._read(receive)
        if body is None:
            await _answer(send, 413, "input.too_large", too_large, None)
            return
        found = body_problem(headers.get("content-type", ""), body)
        if found:
            rule = "input.blank" if "空格" in found[1] else "input.control_char"
            await _answer(send, 422, rule, found[1], found[0])
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it passes the limit (the rest is never read)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return None
            chunks.append(chunk)
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                return b"".join(chunks)


def address_problem(scope: Scope) -> tuple[str, str] | None:
    """Control characters in the path or in a query parameter's name or value."""
    if _CONTROL.search(scope.get("path", "")):
        return "path", "path：地址中含有控制字符"
    for key, value in _pairs(scope.get("query_string", b"")):
        problem = text_problem(key, key + value, blank=False)
        if problem:
            return key, problem
    return None
