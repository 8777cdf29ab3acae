"""PDF copies of letters, made from the .docx by LibreOffice where it and a Chinese font exist.

PDF is optional (issue 3): the .docx is the letter of record and the one whose hash the ledger
holds; a PDF is a rendition of those bytes made on request, never stored. Without a CJK font
LibreOffice would substitute boxes for every character, so we refuse rather than produce that.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from workflow.errors import Refused

PDF_MEDIA_TYPE = "application/pdf"
_CONVERT_SECONDS = 120  # a cold LibreOffice start takes a few seconds; a stuck one must not hang a request


@cache
def _office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(found.stdout.strip())


def pdf_unavailable_reason() -> str | None:
    """Why PDF cannot be made on this machine, or None when it can."""
    if _office_binary() is None:
        return "本机未安装 LibreOffice（soffice），无法生成 PDF；请下载 .docx"
    if not _has_cjk_font():
        return "本机没有中文字体（如 fonts-noto-cjk），生成的 PDF 无法显示中文；请下载 .docx"
    return None


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert one .docx to PDF in a private LibreOffice profile (so parallel calls do not collide).

    Raises:
        Refused: PDF cannot be made here, or the conversion failed.
    """
    reason = pdf_unavailable_reason()
    if reason is not None:
        raise Refused(f"format：{reason}", "letter.pdf_unavailable")
    binary = _office_binary()
    assert binary is not None
    with tempfile.TemporaryDirectory(prefix="ogi-pdf-") as tmp:
        work = Path(tmp)
        source = work / "letter.docx"
        source.write_bytes(docx)
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=_CONVERT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise Refused(f"format：PDF 转换超时（{_CONVERT_SECONDS} 秒）", "letter.pdf_failed") from exc
        target = work / "letter.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout).strip()[-300:]
            raise Refused(f"format：PDF 转换失败：{detail}", "letter.pdf_failed")
        return target.read_bytes()
