"""The user's inbox: the notes the workflow left for them, newest first, paged in the database;
one or all of them marked read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.console.common import PostedForm, back, render
from web.console.guard import Staff
from web.deps import check_csrf, settings_of
from web.paging import PAGE_SIZES, Page, page_args, query_params
from workflow.db import reading, transaction
from workflow.notify.inboxes import inbox, inbox_count, mark_read

router = APIRouter()


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, who: Staff) -> Response:
    args = request.query_params
    unread = args.get("unread") == "true"
    number, size = page_args(args)
    with reading(settings_of(request)) as session:
        total = inbox_count(session, who.name, unread=unread)
        notes = inbox(session, who.name, unread=unread, limit=size, offset=(number - 1) * size)
    page = Page(notes, total, number, size, "/inbox", query_params({"unread": unread}))
    return render(request, "inbox.html", who, page=page, notes=notes, unread_only=unread, sizes=PAGE_SIZES)


def _back_to(posted: PostedForm) -> str:
    url = str(posted.get("back", "/inbox"))
    return url if url == "/inbox" or url.startswith("/inbox?") else "/inbox"


@router.post("/inbox/read")
def read_one(request: Request, who: Staff, posted: PostedForm) -> Response:
    """Mark one notification read; `id` missing or "all": every unread notification of the user."""
    check_csrf(who, str(posted.get("csrf", "")))
    settings = settings_of(request)
    raw = str(posted.get("id", "all"))
    note_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    if note_id is None and raw != "all":
        return back(who, settings, _back_to(posted), err="通知：没有这条通知")
    with transaction(settings) as session:
        changed = mark_read(session, who.name, settings.now(), note_id)
    msg = "已标记为已读" if note_id is not None else f"已将 {changed} 条通知标记为已读"
    return back(who, settings, _back_to(posted), msg=msg)
