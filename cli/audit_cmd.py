"""`ogi audit verify|checkpoint|pubkey`: the chain, the rows against it, and signed checkpoints."""

from __future__ import annotations

import typer

from cli.context import settings
from workflow.db import reading
from workflow.ledger import audit


def register(audit_app: typer.Typer) -> None:
    audit_app.command("verify")(audit_verify)
    audit_app.command("checkpoint")(audit_checkpoint)
    audit_app.command("pubkey")(audit_pubkey)


def _public_key(pubkey: str | None) -> object | None:
    from workflow.ledger.checkpoints import load_key, parse_public

    if pubkey:
        return parse_public(pubkey)
    path = settings().signing_key_path
    return load_key(path).public_key() if path is not None and path.exists() else None


def audit_verify(
    pubkey: str = typer.Option(None, "--pubkey", help="检查点公钥（ed25519:… 或其文件）；默认取自签名密钥文件"),
    chain_only: bool = typer.Option(False, "--chain-only", help="只核对哈希链"),
) -> None:
    """Check the hash chain, every case row, letter and user against the ledger, and the ledger
    against every signed checkpoint. One line per problem; exit 3 if there is any."""
    from workflow.actions.checks import all_problems
    from workflow.ledger.checkpoints import check

    s = settings()
    problems: list[str] = []
    with reading(s) as session:
        result = audit.verify(session)
        if not result.intact:
            problems.append(f"审计链已损坏：{result.problem}（此前 {result.count} 条完好）")
        if not chain_only:
            problems += all_problems(session)
            key = _public_key(pubkey)
            folder = s.checkpoint_path
            if key is not None and folder is not None:
                report = check(session, folder, key)  # type: ignore[arg-type]
                problems += report.problems
                checked = f"，核对签名检查点 {report.checked} 个"
            else:
                checked = "（未核对签名检查点：没有公钥，请用 --pubkey 提供）"
    if problems:
        for line in problems:
            typer.echo(line, err=True)
        raise typer.Exit(3)
    typer.echo(f"审计链完整：{result.count} 条事件" + ("" if chain_only else f"；案件、文书、用户与账本一致{checked}"))


def audit_checkpoint() -> None:
    """Sign the ledger's head with the office key (OGI_SIGNING_KEY; made on first use) and append
    it to the checkpoint log (OGI_CHECKPOINT_DIR)."""
    from workflow.ledger.checkpoints import write_checkpoint

    entry = write_checkpoint(settings())
    typer.echo(f"检查点已签署：第 {entry['seq']} 条事件 {entry['hash']}（{entry['at']}）")


def audit_pubkey() -> None:
    """Print the office's public key, for auditors: verifying checkpoints needs only this."""
    from workflow.ledger.checkpoints import CheckpointError, load_key, public_text

    path = settings().signing_key_path
    if path is None:
        raise CheckpointError("OGI_SIGNING_KEY：未设置签名密钥文件")
    typer.echo(public_text(load_key(path).public_key()))
