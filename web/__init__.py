"""The web console and HTTP API (FastAPI): thin, every change goes through workflow.service."""
