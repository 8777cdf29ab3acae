"""The console's login guard: a dependency that yields the logged-in user, or sends the browser
to the login page with the address it wanted, so that logging in leads back there."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from web.deps import Principal, principal


class LoginRequired(Exception):
    """No live session: the answer is a redirect to the login page (see `login_redirect`)."""

    def __init__(self, target: str = "/") -> None:
        super().__init__(target)
        self.target = target


def local_path(url: str | None) -> str:
    """`url` if it is a path on this site ("/…", not "//host" or a scheme), else "/": a login
    link can never send anyone elsewhere."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > 2000:
        return "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in url):
        return "/"
    return url


def target_of(request: Request) -> str:
    """The page to return to after logging in: the address itself for a page, the page the
    form was on for a post (a post cannot be replayed by a redirect)."""
    if request.method in ("GET", "HEAD"):
        query = request.url.query
        return local_path(request.url.path + (f"?{query}" if query else ""))
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return "/"
    return local_path(referer.path + (f"?{referer.query}" if referer.query else ""))


def login_url(target: str = "/") -> str:
    target = local_path(target)
    return "/login" if target == "/" else f"/login?next={quote(target, safe='')}"


def login_redirect(target: str = "/") -> RedirectResponse:
    return RedirectResponse(login_url(target), status_code=303)


def staff(request: Request) -> Principal:
    """The logged-in user; otherwise LoginRequired (answered with a redirect to the login page)."""
    who = principal(request)
    if who is None:
        raise LoginRequired(target_of(request))
    return who


Staff = Annotated[Principal, Depends(staff)]
