"""Signed checkpoints of the ledger, as Certificate Transparency signs tree heads.

`write_checkpoint` signs the chain's head (sequence, hash, time) with the office's Ed25519 key
(a file outside the database, OGI_SIGNING_KEY) and appends it to a log outside the database
(OGI_CHECKPOINT_DIR/checkpoints.jsonl). `check` holds the ledger against every checkpoint in that
folder with the public key only: an event deleted from the end, or a chain rebuilt with
recomputed hashes, no longer matches what was signed, and nobody without the key can sign anew.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import text
from sqlmodel import Session

from workflow.config import Settings
from workflow.db import reading
from workflow.ledger.audit import GENESIS
from workflow.timeutil import utc_stamp

LOG_NAME = "checkpoints.jsonl"
PREFIX = "ed25519:"


class CheckpointError(ValueError):
    """A key or checkpoint file that cannot be used."""


def load_key(path: str | Path, *, create: bool = False) -> Ed25519PrivateKey:
    """The office's private key (PEM, PKCS#8); created (mode 600) when asked and missing."""
    p = Path(path)
    if not p.exists():
        if not create:
            raise CheckpointError(f"OGI_SIGNING_KEY：找不到签名密钥文件 {p}（先运行 ogi audit checkpoint 生成）")
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        p.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return key
    loaded = serialization.load_pem_private_key(p.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError(f"OGI_SIGNING_KEY：{p} 不是 Ed25519 私钥")
    return loaded


def public_text(key: Ed25519PublicKey) -> str:
    """The public key as auditors keep it: "ed25519:" and the 32 raw bytes in base64."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PREFIX + base64.b64encode(raw).decode()


def parse_public(value: str) -> Ed25519PublicKey:
    """A public key given as text ("ed25519:…") or as a file holding that text."""
    raw = value.strip()
    if not raw.startswith(PREFIX) and Path(raw).is_file():
        raw = Path(raw).read_text(encoding="utf-8").strip()
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(raw.removeprefix(PREFIX), validate=True))
    except ValueError:
        raise CheckpointError("pubkey：不是有效的 Ed25519 公钥（格式 ed25519:BASE64）") from None


def _message(seq: int, head: str, at: str) -> bytes:
    return f"ogi-checkpoint\n{seq}\n{head}\n{at}\n".encode()


def chain_head(session: Session) -> tuple[int, str]:
    row = session.connection().execute(text("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def write_checkpoint(settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    """Sign the current head and append it to the checkpoint log; returns the entry."""
    key_path, folder = settings.signing_key_path, settings.checkpoint_path
    if key_path is None or folder is None:
        raise CheckpointError("OGI_SIGNING_KEY、OGI_CHECKPOINT_DIR：未设置签名密钥文件和检查点目录")
    key = load_key(key_path, create=True)
    with reading(settings) as session:
        seq, head = chain_head(session)
    at = utc_stamp(now or settings.now())
    entry = {
        "seq": seq,
        "hash": head,
        "at": at,
        "key": public_text(key.public_key()),
        "sig": base64.b64encode(key.sign(_message(seq, head, at))).decode(),
    }
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOG_NAME, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return entry


def read_log(folder: str | Path) -> list[tuple[str, dict[str, Any] | None]]:
    """(where, entry) for every line of every *.jsonl in the folder; entry None if unreadable."""
    out: list[tuple[str, dict[str, Any] | None]] = []
    path = Path(folder)
    if not path.is_dir():
        return out
    for file in sorted(path.glob("*.jsonl")):
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            out.append((f"{file.name}:{n}", entry if isinstance(entry, dict) else None))
    return out


@dataclass(frozen=True)
class CheckpointReport:
    checked: int
    problems: list[str]


def _entry_problem(session: Session, where: str, entry: dict[str, Any] | None, key: Ed25519PublicKey) -> str | None:
    try:
        seq, head, at = int(entry["seq"]), str(entry["hash"]), str(entry["at"])  # type: ignore[index]
        key.verify(base64.b64decode(str(entry["sig"])), _message(seq, head, at))  # type: ignore[index]
    except (TypeError, KeyError, ValueError, InvalidSignature):
        return f"检查点 {where}：签名无效或格式有误（不是本机关密钥签署的）"
    if seq == 0:
        return None
    row = session.connection().execute(text("SELECT hash FROM audit_event WHERE seq = :s"), {"s": seq}).first()
    if row is None:
        return f"检查点 {where}（{at} 签署）：账本缺少第 {seq} 条事件，签署时链已长至 {seq} 条——末尾事件被删除"
    if row[0] != head:
        return f"检查点 {where}（{at} 签署）：第 {seq} 条事件的哈希与签署时不同——账本已被改写或整条重建"
    return None


def check(session: Session, folder: str | Path, key: Ed25519PublicKey) -> CheckpointReport:
    """Hold the ledger against every checkpoint in `folder`; one line per mismatch."""
    problems = []
    entries = read_log(folder)
    for where, entry in entries:
        problem = _entry_problem(session, where, entry, key)
        if problem:
            problems.append(problem)
    return CheckpointReport(len(entries), problems)
