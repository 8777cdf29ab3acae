"""Full-text search over the registry with Chinese word segmentation (jieba).

Chinese has no spaces, so both databases index pre-segmented words: the item's words are stored
in `info_item.search_text` (every word of jieba's search mode and full mode, so a query for a
sub-word or a compound both match). SQLite searches an FTS5 table keyed by the item id;
PostgreSQL a GIN index over `to_tsvector('simple', search_text)`. A query is segmented the same
way; each of its words matches either itself or all of its own sub-words.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from workflow.db import is_postgres

_WORD = re.compile(r"\w+")
_lock = threading.Lock()
_ready = False


def _jieba() -> Any:
    global _ready
    import jieba

    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)  # its start-up chatter is not an error
            jieba.initialize()
            _ready = True
    return jieba


def _clean(words: Any) -> list[str]:
    return [w.lower() for w in words if _WORD.fullmatch(w)]


def words_of(*texts: str | None) -> str:
    """The segmented words of the texts, space-separated and deduplicated, in first-seen order."""
    jieba = _jieba()
    seen: dict[str, None] = {}
    for value in texts:
        if not value:
            continue
        for word in _clean(jieba.cut_for_search(value)) + _clean(jieba.cut(value, cut_all=True)):
            seen.setdefault(word, None)
    return " ".join(seen)


def query_terms(query: str) -> list[list[str]]:
    """Each word of the query with the alternatives it may match: itself, or its sub-words together."""
    jieba = _jieba()
    terms: list[list[str]] = []
    for word in _clean(jieba.cut(query)):
        parts = [p for p in _clean(jieba.cut_for_search(word)) if p != word]
        terms.append([word, *parts])
    return terms


# Words every application uses: matching a case on them would match everything.
REQUEST_STOPWORDS = frozenset(
    "请 请求 公开 申请 申请人 本 单位 本单位 机关 本机关 政府 信息 政府信息".split()
    + "相关 有关 提供 获取 要求 关于 我 我们 贵 的 和 及".split()
)


def _fts5(terms: list[list[str]], joiner: str = " AND ") -> str:
    def quoted(w: str) -> str:
        return '"' + w.replace('"', '""') + '"'

    clauses = []
    for word, *parts in terms:
        alt = f"({' AND '.join(quoted(p) for p in parts)})" if parts else ""
        clauses.append(f"({quoted(word)} OR {alt})" if alt else quoted(word))
    return joiner.join(clauses)


def _tsquery(terms: list[list[str]], joiner: str = " & ") -> str:
    def quoted(w: str) -> str:
        return "'" + w.replace("'", "''").replace("\\", "") + "'"

    clauses = []
    for word, *parts in terms:
        alt = f" | ({' & '.join(quoted(p) for p in parts)})" if parts else ""
        clauses.append(f"({quoted(word)}{alt})")
    return joiner.join(clauses)


def reindex(session: Session, item_id: int, words: str) -> None:
    """Keep SQLite's FTS5 table in step with the item's words (PostgreSQL indexes the column)."""
    if is_postgres(session):
        return
    session.execute(text("DELETE FROM info_fts WHERE rowid = :id"), {"id": item_id})
    session.execute(text("INSERT INTO info_fts(rowid, words) VALUES (:id, :words)"), {"id": item_id, "words": words})


def _run(session: Session, terms: list[list[str]], joiner_any: bool, limit: int) -> list[int]:
    if is_postgres(session):
        stmt = text(
            "SELECT id FROM info_item WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', :q) "
            "ORDER BY ts_rank(to_tsvector('simple', search_text), to_tsquery('simple', :q)) DESC, id DESC LIMIT :n"
        )
        rows = session.execute(stmt, {"q": _tsquery(terms, " | " if joiner_any else " & "), "n": limit})
    else:
        stmt = text("SELECT rowid FROM info_fts WHERE info_fts MATCH :q ORDER BY rank LIMIT :n")
        rows = session.execute(stmt, {"q": _fts5(terms, " OR " if joiner_any else " AND "), "n": limit})
    return [int(r[0]) for r in rows]


def _telling(session: Session, terms: list[list[str]]) -> list[list[str]]:
    """Drop words found in most items (the city's name, 通知, …): matching on them matches everything."""
    total = int(session.execute(text("SELECT count(*) FROM info_item")).scalar_one())
    if total < 4:
        return terms
    return [t for t in terms if len(_run(session, [t], False, total // 2 + 1)) * 2 <= total]


def matching_ids(session: Session, query: str, limit: int = 200, *, any_word: bool = False) -> list[int] | None:
    """Ids of the items whose words match the query (every word, or with `any_word` any of the
    request's telling words), best first; None when the query has no word to search for."""
    terms = query_terms(query)
    if any_word:
        terms = _telling(session, [t for t in terms if len(t[0]) >= 2 and t[0] not in REQUEST_STOPWORDS])
    if not terms:
        return None
    return _run(session, terms, any_word, limit)
