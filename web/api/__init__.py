"""The REST API under /api, one module per subject, JSON only; the schemas and the /docs page.

May import: `workflow/` and the shared parts of `web/` (deps, errors, views, paging, security)."""
