"""The user's inbox over the API: notifications paged newest first, marked read one or all."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, Response

from web.api.cases import CsrfHeader, Id, User
from web.api.schemas import NOTE_TOTAL_HEADER
from web.deps import check_csrf, settings_of
from web.errors import ERROR_RESPONSES
from workflow.db import reading, transaction
from workflow.models import Notification
from workflow.notify.inboxes import inbox, inbox_count, mark_read

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


@router.get("/notifications", responses={200: {"headers": NOTE_TOTAL_HEADER}})
def notifications(
    request: Request,
    response: Response,
    who: User,
    unread: bool = False,
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> list[dict[str, Any]]:
    """The user's notifications, newest first; X-Total-Count says how many match."""
    with reading(settings_of(request)) as session:
        response.headers["X-Total-Count"] = str(inbox_count(session, who.name, unread=unread))
        return inbox(session, who.name, unread=unread, limit=limit, offset=offset)


@router.post("/notifications/read")
def mark_all_read(request: Request, who: User, csrf: CsrfHeader = None) -> dict[str, int]:
    """Mark every unread notification of the user read; returns how many changed."""
    check_csrf(who, csrf)
    settings = settings_of(request)
    with transaction(settings) as session:
        return {"marked": mark_read(session, who.name, settings.now())}


@router.post("/notifications/{note_id}/read")
def mark_one_read(note_id: Id, request: Request, who: User, csrf: CsrfHeader = None) -> dict[str, bool]:
    check_csrf(who, csrf)
    settings = settings_of(request)
    with transaction(settings) as session:
        note = session.get(Notification, note_id)
        if note is None or note.user_name != who.name:
            raise HTTPException(404, "没有这条通知")
        mark_read(session, who.name, settings.now(), note_id)
    return {"read": True}
