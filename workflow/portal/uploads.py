"""Files applicants upload: PDF, JPEG, PNG or DOCX, at most 10 MB each, the type decided by the
content (never by the name or the declared media type), so a renamed executable or an HTML page
posing as a PDF is refused."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from workflow.errors import InvalidInput
from workflow.files.kinds import FileKind, sniff

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
ACCEPTED = frozenset({FileKind.PDF, FileKind.JPEG, FileKind.PNG, FileKind.DOCX})
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


@dataclass(frozen=True)
class Upload:
    filename: str
    kind: FileKind  # pdf | jpeg | png | docx
    content: bytes

    @property
    def media_type(self) -> str:
        return self.kind.media_type

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def clean_name(filename: str, kind: FileKind) -> str:
    """A display name without path parts or control characters, ending in the real type's suffix."""
    base = _UNSAFE_NAME.sub("_", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .") or "附件"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem[:150]}.{kind.suffix}"


def check_upload(filename: str, content: bytes, field: str = "attachments") -> Upload:
    """Accept one file or refuse it naming the rule.

    Raises:
        InvalidInput: empty, larger than 10 MB, or not a PDF, JPG, PNG or DOCX by its content.
    """
    if not content:
        raise InvalidInput(f"{field}：文件“{filename}”是空文件", "portal.upload_empty", field)
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"{field}：文件“{filename}”超过10MB", "portal.upload_size", field)
    kind = sniff(content, field)
    if kind not in ACCEPTED:
        raise InvalidInput(
            f"{field}：文件“{filename}”的内容不是PDF、JPG、PNG或DOCX（按文件内容判断，与扩展名无关）",
            "portal.upload_type",
            field,
        )
    assert kind is not None  # ACCEPTED holds no None
    return Upload(clean_name(filename, kind), kind, content)


def check_uploads(files: list[tuple[str, bytes]], field: str = "attachments") -> list[Upload]:
    """Raises: InvalidInput (more than five files, or any file refused by `check_upload`)."""
    files = [(name, content) for name, content in files if name or content]
    if len(files) > MAX_FILES:
        raise InvalidInput(f"{field}：最多上传{MAX_FILES}个附件", "portal.upload_count", field)
    return [check_upload(name, content, field) for name, content in files]
