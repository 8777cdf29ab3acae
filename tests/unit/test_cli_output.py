"""What the CLI prints about its connections never includes a password."""

from __future__ import annotations

from cli.output import masked


def test_passwords_are_masked_in_logged_urls():
    assert (
        masked("postgresql+psycopg://ogi:s3cret@postgres:5432/ogi") == "postgresql+psycopg://ogi:***@postgres:5432/ogi"
    )
    assert masked("redis://:s3cret@redis:6379/0") == "redis://:***@redis:6379/0"
    assert masked("sqlite:///ogi.db") == "sqlite:///ogi.db"
    assert masked("filesystem:///srv/ogi/.ogi-broker") == "filesystem:///srv/ogi/.ogi-broker"
    assert "s3cret" not in masked("not a url but user:s3cret@host")
