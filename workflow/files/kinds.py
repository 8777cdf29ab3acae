"""The kinds of file the product accepts, told from their content (never from the name or the
declared media type): one sniffer for the case's attachments and the portal's uploads alike, so a
renamed executable or an HTML page posing as a PDF is refused at every door."""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum

from workflow.errors import InvalidInput

MAX_UNZIPPED = 200 * 1024 * 1024  # a Word or Excel package that inflates beyond this is refused (a zip bomb)


class FileKind(StrEnum):
    """A file's kind. Attachments stored before the one sniffer say `jpg` for a JPEG; that value
    still reads as `JPEG`, so rows and ledger events need no rewriting."""

    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"
    TXT = "txt"
    JPEG = "jpeg"
    PNG = "png"

    @classmethod
    def _missing_(cls, value: object) -> FileKind | None:
        return cls.JPEG if value == "jpg" else None

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def suffix(self) -> str:
        """The file name suffix a copy of this kind is given."""
        return "jpg" if self is FileKind.JPEG else self.value

    @property
    def suffixes(self) -> frozenset[str]:
        """The suffixes a file of this kind may carry in its name."""
        return _SUFFIXES.get(self, frozenset({self.value}))


_LABELS = {
    FileKind.DOCX: "Word 文档",
    FileKind.XLSX: "Excel 表格",
    FileKind.PDF: "PDF 文件",
    FileKind.TXT: "文本文件",
    FileKind.JPEG: "JPG 图像",
    FileKind.PNG: "PNG 图像",
}
_MEDIA_TYPES = {
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.PDF: "application/pdf",
    FileKind.TXT: "text/plain; charset=utf-8",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
}
_SUFFIXES = {FileKind.TXT: frozenset({"txt", "csv"}), FileKind.JPEG: frozenset({"jpg", "jpeg"})}
IMAGE_KINDS = frozenset({FileKind.JPEG, FileKind.PNG})


def _zip_kind(content: bytes, field: str) -> FileKind | None:
    """A Word or Excel package by the parts it holds; any other ZIP is not a kind we accept."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            names = set(z.namelist())
            if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
                raise InvalidInput(f"{field}：压缩包解压后过大，拒绝接收", "attachment.zip_bomb", field)
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return FileKind.DOCX
    if "xl/workbook.xml" in names:
        return FileKind.XLSX
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


def sniff(content: bytes, field: str = "file") -> FileKind | None:
    """The file's kind by its content: magic bytes, the ZIP's parts, or plain text; None for
    anything else.

    Raises:
        InvalidInput: a ZIP that would inflate beyond `MAX_UNZIPPED` (named by `field`).
    """
    if content.startswith(b"%PDF-"):
        return FileKind.PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if content.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content, field)
    return FileKind.TXT if content and _is_text(content) else None
