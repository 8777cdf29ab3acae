"""De-identification (去标识化) of disclosed material: finding personal information in attachments,
recording the reviewer's decisions, and writing redacted copies that no longer hold it.

May import: `states/`, `workflow.models`, errors, `ledger/`, `accounts/` and `files/`."""
