"""Files on a case: attachments, typed from their content and stored content-addressed. What is
sent with an answer (the disclosure package) is `letters/disclosure.py`; de-identification is
`redaction/`, beside this.

May import: `states/`, `workflow.models`, config, errors, timeutil, db, `ledger/`, `accounts/`."""
