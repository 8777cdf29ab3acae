"""The applicant portal (依申请公开平台) under /public/: pages and a JSON API, no staff login.

May import: `workflow/` (the portal's engine side is `workflow/portal/`), `states/` and the shared
parts of `web/`; never the staff console."""

from __future__ import annotations

from fastapi import APIRouter

from web.portal import api, pages

router = APIRouter()
router.include_router(api.router)
router.include_router(pages.router)

__all__ = ["router"]
