"""Attaching files to a case: the type is read from the content (never from the name), the
size is limited, the bytes are stored content-addressed and their SHA-256 goes into the ledger.

Every change here is one transaction that locks the case row, checks the actor's role, bumps
the case's version and appends one audited event, like the remedies and the actions.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from states import Role
from workflow.accounts.audited import audited_write
from workflow.accounts.users import get_user
from workflow.errors import Forbidden, InvalidInput, NotFound, Refused
from workflow.models import Case, User
from workflow.models.files import Attachment, AttachmentBlob, RedactedCopy

MAX_BYTES = 20 * 1024 * 1024
_MAX_UNZIPPED = 10 * MAX_BYTES  # a zip that inflates beyond this is refused (a zip bomb)
ATTACH_ACTION = "attach_file"
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "jpg": "image/jpeg",
    "png": "image/png",
}
KIND_LABELS = {
    "docx": "Word 文档",
    "xlsx": "Excel 表格",
    "pdf": "PDF 文件",
    "txt": "文本文件",
    "jpg": "JPG 图像",
    "png": "PNG 图像",
}
_EXTENSIONS = {
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pdf": {"pdf"},
    "txt": {"txt", "csv"},
    "jpg": {"jpg", "jpeg"},
    "png": {"png"},
}
# Who may attach, review and redact: the case's own handler, a reviewer, an admin.
ROLE_ORDER = (Role.HANDLER, Role.REVIEWER, Role.ADMIN)


def _zip_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            names = set(z.namelist())
            if sum(i.file_size for i in z.infolist()) > _MAX_UNZIPPED:
                raise InvalidInput("file：压缩包解压后过大，拒绝接收", "attachment.zip_bomb", "file")
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.98 * max(len(text), 1)
    return False


def sniff(content: bytes) -> str | None:
    """The file type by its content: magic bytes, the zip's structure, or plain text."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return "txt" if content and _is_text(content) else None


def check_file(name: str, content: bytes) -> str:
    """The checked type of an upload.

    Raises:
        InvalidInput: empty, too large, of a type not accepted, or named as another type.
    """
    if not content:
        raise InvalidInput("file：文件为空", "attachment.empty", "file")
    if len(content) > MAX_BYTES:
        size, limit = len(content) / 1048576, MAX_BYTES // 1048576
        raise InvalidInput(f"file：文件大小 {size:.1f} MB 超过上限 {limit} MB", "attachment.too_large", "file")
    kind = sniff(content)
    if kind is None:
        raise InvalidInput(
            "file：文件内容不是可接收的类型（Word .docx、Excel .xlsx、PDF、文本、JPG、PNG）", "attachment.type", "file"
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext and ext not in _EXTENSIONS[kind]:
        raise InvalidInput(
            f"file：文件名后缀为 .{ext}，但内容是{KIND_LABELS[kind]}；请核对文件", "attachment.type_mismatch", "file"
        )
    return kind


def clean_name(name: str) -> str:
    """The file name without any folder part or control characters (it is only ever shown)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if not base or base in (".", ".."):
        raise InvalidInput("file：文件名为空", "attachment.name", "file")
    return base[:200]


def locked_case(session: Session, case_id: int) -> Case:
    case = session.exec(select(Case).where(Case.id == case_id).with_for_update()).first()
    if case is None:
        raise NotFound(f"case：没有编号为 {case_id} 的案件", "case.unknown", "case")
    return case


def acting_role(user: User, case: Case, what: str) -> str:
    """The role the actor acts in on this case's material; a handler only on their own cases.

    Raises:
        Forbidden: no such role, or a handler of another case.
    """
    roles = user.role_set()
    for role in ROLE_ORDER:
        if role.value in roles and (role is not Role.HANDLER or case.handler == user.name):
            return role.value
    raise Forbidden(
        f"用户“{user.name}”（角色：{user.roles}）无权{what}：须由本案承办人、保密审查员或管理员办理",
        "role.forbidden",
        "actor",
    )


def store_blob(session: Session, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    if session.get(AttachmentBlob, digest) is None:
        session.add(AttachmentBlob(sha256=digest, size=len(content), content=content))
        session.flush()
    return digest


def bump(case: Case, now: datetime) -> None:
    case.version += 1
    case.updated_at = now


def attach(session: Session, case_id: int, *, name: str, content: bytes, actor: str, now: datetime) -> Attachment:
    """Attach a file to the case inside the caller's transaction (never commits).

    Raises:
        NotFound, Forbidden, InvalidInput: see `locked_case`, `acting_role`, `check_file`.
    """
    case = locked_case(session, case_id)
    role = acting_role(get_user(session, actor), case, "为本案添加附件")
    filename = clean_name(name)
    kind = check_file(filename, content)
    digest = store_blob(session, content)
    att = Attachment(
        case_id=case_id,
        name=filename,
        kind=kind,
        media_type=MEDIA_TYPES[kind],
        size=len(content),
        sha256=digest,
        added_by=actor,
        added_at=now,
    )
    session.add(att)
    session.flush()
    bump(case, now)
    audited_write(
        session,
        actor=actor,
        action=ATTACH_ACTION,
        now=now,
        payload={"attachment": att.id, "name": filename, "kind": kind, "size": len(content), "sha256": digest},
        roles=(role,),  # the case's own handler, a reviewer or an admin: checked above
        what="附加材料",
        case_id=case_id,
        state=case.state,
    )
    return att


def get_attachment(session: Session, attachment_id: int) -> Attachment:
    att = session.get(Attachment, attachment_id)
    if att is None:
        raise NotFound(f"attachment：没有编号为 {attachment_id} 的附件", "attachment.unknown", "attachment")
    return att


def blob_bytes(session: Session, digest: str) -> bytes:
    """Stored bytes, checked against the hash they are stored under."""
    blob = session.get(AttachmentBlob, digest)
    if blob is None or hashlib.sha256(blob.content).hexdigest() != digest:
        raise Refused(f"附件存档内容与记录的哈希 {digest[:12]}… 不符", "attachment.integrity")
    return blob.content


def attachments_of(session: Session, case_id: int) -> list[Attachment]:
    return list(session.exec(select(Attachment).where(Attachment.case_id == case_id).order_by(col(Attachment.id))))


def latest_copy(session: Session, attachment_id: int) -> RedactedCopy | None:
    query = select(RedactedCopy).where(RedactedCopy.attachment_id == attachment_id)
    return session.exec(query.order_by(col(RedactedCopy.id).desc())).first()


def redacted_name(att: Attachment) -> str:
    """报告.docx → 报告（去标识化）.docx: the name the applicant receives."""
    stem, dot, ext = att.name.rpartition(".")
    return f"{stem}（去标识化）.{ext}" if dot and stem else f"{att.name}（去标识化）"


def disclosed_files(session: Session, case_id: int) -> list[str]:
    """The names of the files the applicant receives with the answer: each attachment that has a
    de-identified copy, under that copy's name (the letter's 附件 line lists them)."""
    return [redacted_name(a) for a in attachments_of(session, case_id) if latest_copy(session, a.id or 0)]


@dataclass(frozen=True)
class AttachmentView:
    att: Attachment
    copy: RedactedCopy | None

    def as_dict(self) -> dict[str, Any]:
        a = self.att
        return {
            "id": a.id,
            "case_id": a.case_id,
            "name": a.name,
            "kind": a.kind,
            "kind_label": KIND_LABELS[a.kind],
            "size": a.size,
            "sha256": a.sha256,
            "added_by": a.added_by,
            "added_at": a.added_at,
            "redacted": None
            if self.copy is None
            else {
                "id": self.copy.id,
                "name": redacted_name(a),
                "sha256": self.copy.sha256,
                "made_by": self.copy.made_by,
                "made_at": self.copy.made_at,
            },
        }


def views_of(session: Session, case_id: int) -> list[dict[str, Any]]:
    return [AttachmentView(a, latest_copy(session, a.id or 0)).as_dict() for a in attachments_of(session, case_id)]
