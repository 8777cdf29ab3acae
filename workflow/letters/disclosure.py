"""The disclosure package (公开材料包): what the applicant receives with the answer.

The answer letter as issued, each attachment's latest de-identified copy, the log of what was
removed, where and on which ground (the record a partial disclosure cites), and a manifest with
every file's SHA-256. `build_package` only reads; the portal can serve what it returns, the CLI
writes it to a folder.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from states import Outcome
from workflow.errors import NotFound, Refused
from workflow.files.attachments import attachments_of, blob_bytes, latest_copy, redacted_name
from workflow.letters.issue import letter_bytes, letters_of
from workflow.letters.registry import LETTERS
from workflow.models import Case
from workflow.timeutil import local_stamp

ANSWER_KINDS = frozenset(o.value for o in Outcome)
LOG_NAME = "去标识化处理记录"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class PackageFile:
    name: str
    role: str  # letter | attachment | log
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Package:
    case_number: str
    files: list[PackageFile]
    manifest: dict[str, Any]

    def manifest_bytes(self) -> bytes:
        return json.dumps(self.manifest, ensure_ascii=False, indent=2).encode()


def _answer_letter(session: Session, case: Case) -> PackageFile:
    answers = [x for x in letters_of(session, case.id or 0) if x.kind in ANSWER_KINDS]
    if not answers:
        raise Refused(f"案件 {case.number} 尚未出具答复书，不能生成公开材料包", "package.no_answer")
    letter, content = letter_bytes(session, answers[-1].id or 0, "docx")
    return PackageFile(f"{LETTERS[letter.kind].title}（{letter.number}）.docx", "letter", content)


def _log_docx(case: Case, rows: list[dict[str, Any]]) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.add_heading("去标识化处理记录", level=1)
    doc.add_paragraph(
        f"案件编号：{case.number}。以下为公开材料中去除的内容的类别、位置和理由；所去除的内容本身不在本记录中。"
    )
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "文件", "内容类别", "位置", "理由"), strict=True):
        cell.text = text
    for n, row in enumerate(rows, start=1):
        values = (str(n), row["file"], row["kind_label"], row["location"], row["ground_label"])
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    table.autofit = False
    for column, width in zip(table.columns, (1.2, 4.5, 3.0, 3.5, 4.8), strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Cm(width)  # and each cell's width, which Word reads
    if not rows:
        doc.add_paragraph("公开材料中没有需要去除的内容。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_package(session: Session, case_id: int, *, now: datetime) -> Package:
    """The package as the case stands: refused before the answer letter is issued.

    Raises:
        NotFound: no such case. Refused: no answer letter yet, or stored bytes fail their hash.
    """
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"case：没有编号为 {case_id} 的案件", "case.unknown", "case")
    files = [_answer_letter(session, case)]
    rows: list[dict[str, Any]] = []
    withheld: list[str] = []
    for att in attachments_of(session, case_id):
        copy = latest_copy(session, att.id or 0)
        if copy is None:
            withheld.append(att.name)
            continue
        name = redacted_name(att)
        files.append(PackageFile(name, "attachment", blob_bytes(session, copy.sha256)))
        rows += [{"file": name, **row} for row in json.loads(copy.log)]
    log_json = json.dumps(rows, ensure_ascii=False, indent=2).encode()
    files.append(PackageFile(f"{LOG_NAME}.docx", "log", _log_docx(case, rows)))
    files.append(PackageFile(f"{LOG_NAME}.json", "log", log_json))
    manifest = {
        "case": case.number,
        "generated_at": local_stamp(now),
        "files": [{"name": f.name, "role": f.role, "size": len(f.content), "sha256": f.sha256} for f in files],
        "not_included": [{"name": n, "reason": "未生成去标识化文件"} for n in withheld],
    }
    return Package(case.number, files, manifest)


def write_package(package: Package, out_dir: Path) -> list[Path]:
    """Write the files and manifest.json into `out_dir` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for f in package.files:
        path = out_dir / f.name
        path.write_bytes(f.content)
        written.append(path)
    (out_dir / MANIFEST).write_bytes(package.manifest_bytes())
    return [*written, out_dir / MANIFEST]
