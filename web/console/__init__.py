"""The console: server-rendered pages in Simplified Chinese, one module per page. Each page
reads through the same views as the API, and every form posts to an action that calls
workflow.service.perform. Pages take the logged-in user from the `Staff` dependency
(web/console/guard.py), which sends anyone else to the login page and back afterwards.

May import: `workflow/`, `states/` and the shared parts of `web/` (deps, errors, views, paging)."""

from __future__ import annotations

from fastapi import APIRouter

from web.console import admin, approvals, audit, auth, case, inbox, intake, queue, reports
from web.console.common import back, env, render, today
from web.console.guard import LoginRequired, Staff, login_redirect

router = APIRouter()
for _page in (auth, queue, intake, case, approvals, audit, inbox, admin, reports):
    router.include_router(_page.router)

__all__ = ["LoginRequired", "Staff", "back", "env", "login_redirect", "render", "router", "today"]
