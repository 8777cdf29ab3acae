"""The web console and HTTP API (FastAPI): thin, every change goes through workflow.service.

`app.py` builds the application from the parts: `console/` (staff pages), `api/` (JSON under
/api), `portal/` (applicants), `public/` (the catalogue), and the shared parts at this level
(deps, errors, security, hygiene, request ids, paging, views, health).

May import: `workflow/` and `states/`; never `workers/` or `cli/`."""
