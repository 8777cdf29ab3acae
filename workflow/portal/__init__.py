"""The applicant portal's engine side (依申请公开平台): applications filed online, the query code that
lets an applicant follow their case, what they submit online, and the letters they open there.

Tables live in `workflow.models.portal`; the web pages and JSON API are in `web/portal/`.

May import: everything of the engine up to `service` (an application filed online is received
through it); never `web/`."""
