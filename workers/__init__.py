"""Celery workers: deadline enforcement and letter rendering (thin wrappers around workflow/)."""
