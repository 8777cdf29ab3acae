"""The information registry: items of government information, their disclosure attribute, the
proactive-disclosure clock, the public catalogue's search, and where they meet applications."""
