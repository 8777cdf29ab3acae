"""The public catalogue (政府信息公开目录, Art. 12) under /public/catalogue: published items with
their metadata block, search with Chinese word segmentation, filters by subject and year, an Atom
feed and stable URLs (by id or by index number). No login; only published items, public fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session

from web.deps import settings_of
from workflow.db import reading
from workflow.models.registry import InfoFile, InfoItem
from workflow.office.settings import load_office
from workflow.registry.links import catalogue_url, find_item
from workflow.registry.queries import categories, item_view, list_items, years
from workflow.timeutil import utc_stamp

router = APIRouter(prefix="/public/catalogue")
env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent.parent / "templates")),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
ATOM = "http://www.w3.org/2005/Atom"
PAGE = 50


def _page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    with reading(settings_of(request)) as session:
        office = load_office(session).name
    return HTMLResponse(env.get_template(name).render(request=request, office=office, **ctx), status_code=status)


def _published(session: Session, ref: str) -> InfoItem:
    item = find_item(session, ref[:100])
    if item is None or item.state != "published":
        raise HTTPException(404, "目录中没有此条目")
    return item


@router.get("", response_class=HTMLResponse)
def catalogue(request: Request, q: str = "", category: str = "", year: int = 0) -> Response:
    """The catalogue: newest first, or ranked by relevance for a search."""
    q, category = q.strip()[:100], category[:100]
    with reading(settings_of(request)) as session:
        found = list_items(
            session, q=q or None, category=category or None, year=year or None, published_only=True, limit=PAGE
        )
        rows = [item_view(session, i, public=True) for i in found]
        cats, yrs = categories(session), years(session)
    return _page(request, "catalogue.html", items=rows, q=q, category=category, year=year, categories=cats, years=yrs)


@router.get("/feed.atom")
def feed(request: Request) -> Response:
    """The newest published items as an Atom feed."""
    with reading(settings_of(request)) as session:
        office = load_office(session).name
        found = list_items(session, published_only=True, limit=PAGE)
        entries = [(i, catalogue_url(session, i)) for i in found]
    base = str(request.base_url).rstrip("/")
    root = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(root, "title").text = f"{office}政府信息公开目录"
    ET.SubElement(root, "id").text = f"{base}/public/catalogue"
    ET.SubElement(root, "link", href=f"{base}/public/catalogue/feed.atom", rel="self")
    newest = max((i.updated_at for i, _ in entries), default=settings_of(request).now())
    ET.SubElement(root, "updated").text = utc_stamp(newest)
    for item, url in entries:
        link = url if url.startswith("http") else base + url
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "id").text = link
        ET.SubElement(entry, "link", href=link)
        ET.SubElement(entry, "updated").text = utc_stamp(item.updated_at)
        ET.SubElement(entry, "published").text = f"{item.published_on}T00:00:00+08:00"
        author = ET.SubElement(entry, "author")
        ET.SubElement(author, "name").text = item.issuer
        summary = f"索引号：{item.index_number}；文号：{item.doc_number or '无'}；成文日期：{item.made_on}"
        ET.SubElement(entry, "summary").text = summary
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/{ref:path}/files/{file_id}")
def download(request: Request, ref: str, file_id: int) -> Response:
    with reading(settings_of(request)) as session:
        item = _published(session, ref)
        f = session.get(InfoFile, file_id)
        if f is None or f.item_id != item.id:
            raise HTTPException(404, "没有此附件")
        content, media, name = f.content, f.media_type, f.name
    from urllib.parse import quote

    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    return Response(content, media_type=media, headers=headers)


@router.get("/{ref:path}", response_class=HTMLResponse)
def entry(request: Request, ref: str) -> Response:
    """One item by id or by index number (both stable)."""
    with reading(settings_of(request)) as session:
        view = item_view(session, _published(session, ref), public=True)
    return _page(request, "catalogue_item.html", item=view)
