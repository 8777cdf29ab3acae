"""Public pages without a login, apart from the portal: the catalogue of government information.

May import: `workflow/` and the shared parts of `web/`."""
