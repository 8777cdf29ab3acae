"""Files on a case: attachments (typed from their content, stored content-addressed) and the
disclosure package sent with an answer; de-identification lives beside it in `redaction/`.

May import: `states/`, `workflow.models`, config, errors, timeutil, db, `ledger/`, `accounts/`,
`letters/` (the disclosure package holds the answer letter)."""
