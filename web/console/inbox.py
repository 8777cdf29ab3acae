"""The user's inbox: the notes the workflow left for them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.console.common import render
from web.console.guard import Staff
from web.deps import settings_of
from workflow.db import reading
from workflow.notify import inbox

router = APIRouter()


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, who: Staff) -> Response:
    with reading(settings_of(request)) as session:
        notes = inbox(session, who.name)
    return render(request, "inbox.html", who, notes=notes)
