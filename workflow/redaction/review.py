"""The reviewer's work on an attachment, kept on the case's ledger: accepting or rejecting each
finding, adding their own spans (text) or regions (areas of a page or image), and making the
redacted copy. The ledger never holds the personal data itself: a span is recorded by where it
is and the SHA-256 of its text, and replayed against the stored file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from workflow.accounts.audited import audited_write
from workflow.accounts.users import get_user
from workflow.errors import InvalidInput, Refused
from workflow.files.attachments import acting_role, blob_bytes, bump, get_attachment, locked_case, store_blob
from workflow.ledger import audit
from workflow.models.files import Attachment, RedactedCopy
from workflow.redaction import documents
from workflow.redaction.detect import KIND_LABELS, PRIVACY, WHERE_LABELS, Finding, check_ground, ground_label, make

DECIDE = "review_redaction"
ADD_SPAN = "add_redaction_span"
ADD_REGION = "add_redaction_region"
REDACT = "redact_attachment"
DECISIONS = ("accept", "reject")
_STATUS = {"accept": "accepted", "reject": "rejected"}


@dataclass
class Review:
    """An attachment's findings (detected and the reviewer's own) and the decisions on them."""

    attachment: Attachment
    content: bytes
    findings: list[Finding]
    decisions: dict[str, str] = field(default_factory=dict)  # finding id -> accept | reject
    grounds: dict[str, str] = field(default_factory=dict)  # finding id -> ground chosen by the reviewer
    regions: list[dict[str, Any]] = field(default_factory=list)

    def status(self, f: Finding) -> str:
        """pending | accepted | rejected; the reviewer's own spans are accepted when added."""
        decided = self.decisions.get(f.id)
        if decided is not None:
            return _STATUS[decided]
        return "accepted" if f.source == "reviewer" else "pending"

    def accepted(self) -> list[Finding]:
        return [
            replace(f, ground=self.grounds.get(f.id, f.ground))
            for f in self.findings
            if self.status(f) == "accepted" and f.kind != "image"
        ]

    def pending(self) -> list[Finding]:
        return [f for f in self.findings if self.status(f) == "pending"]

    def view(self) -> list[dict[str, Any]]:
        return [
            f.view()
            | {
                "status": self.status(f),
                "ground": self.grounds.get(f.id, f.ground),
                "ground_label": ground_label(self.grounds.get(f.id, f.ground)),
            }
            for f in self.findings
        ]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _events(session: Session, att: Attachment) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for ev in audit.case_events(session, att.case_id):
        if ev.action in (DECIDE, ADD_SPAN, ADD_REGION):
            p = audit.payload_of(ev)
            if p.get("attachment") == att.id:
                out.append((ev.action, p))
    return out


def _replay_span(p: dict[str, Any], segments: dict[str, Any]) -> Finding | None:
    seg = segments.get(p["segment"])
    if seg is None or _sha(seg.text[p["start"] : p["end"]]) != p["text_sha256"]:
        return None  # the span no longer matches the stored file: never redact something else
    return make("span", seg, p["start"], p["end"], source="reviewer", ground=p.get("ground", PRIVACY))


def load_review(session: Session, attachment_id: int) -> Review:
    """The attachment's review as its ledger events stand."""
    att = get_attachment(session, attachment_id)
    content = blob_bytes(session, att.sha256)
    review = Review(att, content, documents.scan(att.kind, content))
    segments = {s.key: s for s in documents.segments(att.kind, content)}
    for action, p in _events(session, att):
        if action == DECIDE:
            for fid in p["findings"]:
                review.decisions[fid] = p["decision"]
                if p.get("ground"):
                    review.grounds[fid] = p["ground"]
        elif action == ADD_SPAN:
            span = _replay_span(p, segments)
            if span is not None and all(f.id != span.id for f in review.findings):
                review.findings.append(span)
        else:
            review.regions.append({"page": p["page"], "rect": p["rect"], "ground": p.get("ground", PRIVACY)})
    return review


def _record(
    session: Session, att: Attachment, actor: str, now: datetime, action: str, payload: dict[str, Any], what: str
) -> int:
    case = locked_case(session, att.case_id)
    role = acting_role(get_user(session, actor), case, what)
    bump(case, now)
    ev = audited_write(
        session,
        actor=actor,
        action=action,
        now=now,
        payload={"attachment": att.id, **payload},
        roles=(role,),  # checked above against the case (its handler, a reviewer or an admin)
        what=what,
        case_id=att.case_id,
        state=case.state,
    )
    return ev.seq


def decide(
    session: Session,
    attachment_id: int,
    finding_ids: list[str],
    decision: str,
    *,
    actor: str,
    now: datetime,
    ground: str | None = None,
) -> int:
    """Accept or reject findings (by id); returns the ledger event's seq.

    Raises:
        InvalidInput: an unknown decision, ground or finding id.
    """
    if decision not in DECISIONS:
        raise InvalidInput(f"decision：'{decision}' 应为 accept 或 reject", "redaction.decision", "decision")
    review = load_review(session, attachment_id)
    known = {f.id: f for f in review.findings}
    unknown = [i for i in finding_ids if i not in known]
    if not finding_ids or unknown:
        names = "、".join(unknown) or "（空）"
        raise InvalidInput(f"finding：没有编号为 {names} 的识别结果", "redaction.finding", "finding")
    payload: dict[str, Any] = {
        "findings": finding_ids,
        "decision": decision,
        "kinds": sorted({known[i].kind for i in finding_ids}),
    }
    if ground:
        payload["ground"] = check_ground(ground)
    return _record(session, review.attachment, actor, now, DECIDE, payload, "审查去标识化结果")


def add_span(
    session: Session, attachment_id: int, text: str, *, actor: str, now: datetime, ground: str = PRIVACY
) -> list[Finding]:
    """The reviewer's own span: every occurrence of `text` in the file, recorded without the text."""
    check_ground(ground)
    att = get_attachment(session, attachment_id)
    spans = documents.spans_for_text(att.kind, blob_bytes(session, att.sha256), text, ground)
    for f in spans:
        payload = {"segment": f.segment, "start": f.start, "end": f.end, "text_sha256": _sha(f.text), "ground": ground}
        _record(session, att, actor, now, ADD_SPAN, payload, "添加去标识化内容")
    return spans


def add_region(
    session: Session,
    attachment_id: int,
    page: int,
    rect: list[float],
    *,
    actor: str,
    now: datetime,
    ground: str = PRIVACY,
) -> int:
    """An area to remove: page (1 for an image) and [x0, y0, x1, y1] in PDF points or image pixels."""
    check_ground(ground)
    if len(rect) != 4 or rect[0] >= rect[2] or rect[1] >= rect[3] or min(rect) < 0:
        raise InvalidInput("rect：区域应为 x0,y0,x1,y1，且 x0<x1、y0<y1、均不小于 0", "redaction.rect", "rect")
    att = get_attachment(session, attachment_id)
    if att.kind not in ("pdf", "jpg", "png"):
        raise InvalidInput("region：只有 PDF 和图像可以标注区域；其他文件请标注文字", "redaction.region_kind", "region")
    if page < 1:
        raise InvalidInput("page：页码从 1 开始", "redaction.page", "page")
    return _record(
        session, att, actor, now, ADD_REGION, {"page": page, "rect": rect, "ground": ground}, "标注去标识化区域"
    )


def _unresolved_images(review: Review) -> list[Finding]:
    """Scanned pages and images without a marked region (unless rejected: nothing to remove),
    and embedded pictures not yet decided."""
    pages = {int(r["page"]) for r in review.regions}
    return [
        f
        for f in review.findings
        if f.kind == "image"
        and (
            review.status(f) == "pending"
            if f.where == "image"
            else review.status(f) != "rejected" and f.page not in pages
        )
    ]


def _blackout(review: Review) -> frozenset[str]:
    return frozenset(
        f.segment
        for f in review.findings
        if f.kind == "image" and f.where == "image" and review.status(f) == "accepted"
    )


def _log(review: Review) -> list[dict[str, Any]]:
    rows = [
        {
            "kind": f.kind,
            "kind_label": KIND_LABELS[f.kind],
            "where": f.where,
            "where_label": WHERE_LABELS[f.where],
            "location": f.label,
            "ground": f.ground,
            "ground_label": ground_label(f.ground),
            "source": f.source,
        }
        for f in review.accepted()
    ]
    rows += [
        {
            "kind": "image",
            "kind_label": "嵌入图片（整幅涂黑）",
            "where": "image",
            "where_label": "图片",
            "location": f"{f.label}",
            "ground": review.grounds.get(f.id, f.ground),
            "ground_label": ground_label(review.grounds.get(f.id, f.ground)),
            "source": "reviewer",
        }
        for f in review.findings
        if f.segment in _blackout(review)
    ]
    rows += [
        {
            "kind": "region",
            "kind_label": KIND_LABELS["region"],
            "where": "page",
            "where_label": "页面",
            "location": f"第{r['page']}页",
            "ground": r["ground"],
            "ground_label": ground_label(r["ground"]),
            "source": "reviewer",
        }
        for r in review.regions
    ]
    return rows


def apply(
    session: Session, attachment_id: int, *, actor: str, now: datetime, accept_all: bool = False
) -> tuple[RedactedCopy, bytes]:
    """Make the redacted copy of every accepted finding and region; store it and log it.

    Raises:
        Refused: findings still pending (unless `accept_all`, which accepts them on the ledger
        first), an image page without a marked region, or text that would survive.
    """
    review = load_review(session, attachment_id)
    pending = review.pending()
    if pending and accept_all:
        decide(session, attachment_id, [f.id for f in pending], "accept", actor=actor, now=now)
        review = load_review(session, attachment_id)
    elif pending:
        raise Refused(f"还有 {len(pending)} 项识别结果尚未审查；请逐项确认或使用 --accept-all", "redaction.pending")
    images = _unresolved_images(review)
    if images:
        raise Refused(
            f"{'、'.join(f.label for f in images)}为图像，须标注需去除的区域，或确认无需处理（reject）",
            "redaction.image_unmarked",
        )
    out = documents.redact(review.attachment.kind, review.content, review.accepted(), review.regions, _blackout(review))
    log = _log(review)
    copy = RedactedCopy(
        attachment_id=attachment_id,
        sha256=store_blob(session, out),
        made_by=actor,
        made_at=now,
        log=json.dumps(log, ensure_ascii=False),
    )
    session.add(copy)
    session.flush()
    counts: dict[str, int] = {}
    for row in log:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    _record(
        session,
        review.attachment,
        actor,
        now,
        REDACT,
        {"copy": copy.id, "sha256": copy.sha256, "source_sha256": review.attachment.sha256, "removed": counts},
        "生成去标识化文件",
    )
    return copy, out
