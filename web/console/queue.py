"""The work queue: the console's home page, paged in the database, sortable, its filters in the
address; a registrar assigns many cases at once from it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from states import STATE_LABELS, Role
from web.console.common import PostedForm, back, render
from web.console.guard import Staff
from web.deps import check_csrf, settings_of
from web.paging import PAGE_SIZES, page_args, query_params
from web.views import QUEUE_SORT_LABELS, QUEUE_SORTS, QueueFilter, default_view, queue_page
from workflow.accounts.users import active_with_role
from workflow.bulk import MAX_BULK, assign_many
from workflow.db import reading

router = APIRouter()
FILTER_KEYS = ("scope", "state", "q", "handler", "overdue", "provisional", "sort", "desc")


def _filter(request: Request, who: Staff) -> QueueFilter:
    """The filters in the address; none at all: the user's default view (default_view)."""
    args = request.query_params
    if not any(k in args for k in FILTER_KEYS):
        return default_view(who)
    scope = args.get("scope", "all")
    sort = args.get("sort", "due")
    return QueueFilter(
        state=args.get("state", "")[:40] or None,
        q=args.get("q", "")[:100] or None,
        handler=args.get("handler", "")[:64] or None,
        overdue=args.get("overdue") == "true",
        provisional=args.get("provisional") == "true",
        scope=scope if scope in ("mine", "department", "all") else "all",
        sort=sort if sort in QUEUE_SORTS else "due",
        desc=args.get("desc") == "true",
    )


@router.get("/", response_class=HTMLResponse)
def queue(request: Request, who: Staff) -> Response:
    f = _filter(request, who)
    number, size = page_args(request.query_params)
    page = queue_page(settings_of(request), who, f, page=number, size=size)
    params = query_params(
        {
            "scope": f.scope,
            "state": f.state,
            "q": f.q,
            "handler": f.handler,
            "overdue": f.overdue,
            "provisional": f.provisional,
            "sort": f.sort,
            "desc": f.desc,
        }
    )
    page.path, page.params = "/", params
    bulk = who.has("registrar")
    handlers: list[str] = []
    if bulk:
        with reading(settings_of(request)) as session:
            handlers = [u.name for u in active_with_role(session, Role.HANDLER)]
    return render(
        request,
        "queue.html",
        who,
        page=page,
        rows=page.items,
        f=f,
        sorts=QUEUE_SORT_LABELS,
        sort_url=lambda key: page.url(1, sort=key, desc="" if f.sort != key or f.desc else "true"),
        sizes=PAGE_SIZES,
        states=STATE_LABELS,
        bulk=bulk,
        handlers=handlers,
        max_bulk=MAX_BULK,
    )


@router.post("/queue/assign")
def bulk_assign(request: Request, who: Staff, posted: PostedForm) -> Response:
    """Assign the ticked cases to one handler: one audited action per case, each result reported."""
    check_csrf(who, str(posted.get("csrf", "")))
    settings = settings_of(request)
    back_to = str(posted.get("back", "/"))
    back_to = back_to if back_to.startswith("/?") or back_to == "/" else "/"
    if not who.has("registrar"):
        return back(who, settings, back_to, err="批量分派仅供登记员使用")
    handler = str(posted.get("handler", "")).strip()[:64]
    picked = [str(v) for v in posted.getlist("case")]
    ids = [int(v) for v in picked if v.isdigit() and len(v) < 10]
    if not handler:
        return back(who, settings, back_to, err="承办人：请填写要分派给的承办人")
    if not ids:
        return back(who, settings, back_to, err="案件：请至少勾选一件案件")
    results = assign_many(settings, ids, handler=handler, actor=who.name)
    done = [r.number for r in results if r.ok]
    failed = [f"{r.number}：{r.message}" for r in results if not r.ok]
    summary = f"已分派 {len(done)} 件给“{handler}”" + (f"（{'、'.join(done)}）" if done else "")
    if failed:
        return back(who, settings, back_to, err=f"{summary}；{len(failed)} 件未能分派：" + "；".join(failed))
    return back(who, settings, back_to, msg=summary)
