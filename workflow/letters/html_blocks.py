"""Read a rendered letter (HTML) back as a list of blocks: the bridge from the one template per
letter type to the Word layout, so both formats always say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_CLASSES = frozenset(
    {
        "sample",
        "draft",
        "letterhead",
        "agency",
        "title",
        "number",
        "addressee",
        "body",
        "closing",
        "attachment",
        "signature",
        "seal",
        "date",
        "contact",
    }
)


@dataclass
class Block:
    kind: str  # one of BLOCK_CLASSES, or "table"
    text: str = ""
    rows: list[list[tuple[str, bool]]] = field(default_factory=list)  # (cell text, is header)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.in_article = False
        self.current: Block | None = None
        self.cell: list[str] | None = None
        self.cell_header = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if tag == "article":
            self.in_article = True
        elif not self.in_article:
            return
        elif tag in ("p", "h1"):
            kind = "title" if tag == "h1" else cls
            if kind not in BLOCK_CLASSES:
                raise ValueError(f"letter HTML: <{tag} class='{cls}'> is not part of the layout")
            self.current = Block(kind)
        elif tag == "table":
            self.current = Block("table", cls)  # text holds the table's class: fee | form
        elif tag == "tr" and self.current is not None:
            self.current.rows.append([])
        elif tag in ("td", "th"):
            self.cell, self.cell_header = [], tag == "th"

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article = False
        elif tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.current.rows[-1].append(("".join(self.cell).strip(), self.cell_header))
            self.cell = None
        elif tag in ("p", "h1", "table") and self.current is not None:
            self.current.text = self.current.text.strip()
            self.blocks.append(self.current)
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.current is not None and self.current.kind != "table":
            self.current.text += " ".join(data.split()) if "\n" in data else data


def parse_letter(html: str) -> list[Block]:
    """The letter's blocks in order (only what is inside <article>)."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.blocks
