"""Pages of a list cut in the database: the total, the page, its size, and links to the other
pages that keep every filter and the sort order in the address."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

PAGE_SIZES = (20, 50, 100, 200)
DEFAULT_SIZE = 50


def page_size(size: int) -> int:
    """The page size asked for, bounded to the sizes the console offers (nearest not above)."""
    if size <= PAGE_SIZES[0]:
        return PAGE_SIZES[0]
    return max(s for s in PAGE_SIZES if s <= size)


def page_number(page: int) -> int:
    return max(1, min(page, 1_000_000))


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() and len(text) < 8 else default


def page_args(args: Mapping[str, str]) -> tuple[int, int]:
    """The page number and size a list was asked for in its address, each bounded; anything else
    (missing, not a number, absurdly long) means the first page at the default size."""
    return page_number(_number(args.get("page"), 1)), page_size(_number(args.get("size"), DEFAULT_SIZE))


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    size: int
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)  # the filters and sort the list was asked with

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def url(self, page: int | None = None, **changes: str) -> str:
        """This list's address at `page` (default: this one), with its filters and `changes`."""
        params = {**self.params, **changes, "page": str(page or self.page), "size": str(self.size)}
        kept = {k: v for k, v in params.items() if v not in ("", None)}
        return f"{self.path}?{urlencode(kept)}"

    def links(self, window: int = 2) -> list[tuple[str, str, bool]]:
        """(text, address, current) of the pager: first, previous, a window around this page, next, last."""
        out: list[tuple[str, str, bool]] = []
        if self.page > 1:
            out += [("首页", self.url(1), False), ("上一页", self.url(self.page - 1), False)]
        for n in range(max(1, self.page - window), min(self.pages, self.page + window) + 1):
            out.append((str(n), self.url(n), n == self.page))
        if self.page < self.pages:
            out += [("下一页", self.url(self.page + 1), False), ("末页", self.url(self.pages), False)]
        return out


def query_params(values: Mapping[str, object]) -> dict[str, str]:
    """Filters as address parameters: booleans as "true", empty values left out."""
    out: dict[str, str] = {}
    for key, value in values.items():
        if value is True:
            out[key] = "true"
        elif value not in (None, "", False):
            out[key] = str(value)
    return out
