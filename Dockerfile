# The ogi-workflow image: migrate (`ogi init`), web (`ogi serve --no-workers`), worker
# (`ogi worker`) and beat (`ogi beat`) all run it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Install the project from a build folder that is removed afterwards, so only the installed
# package is importable (no source tree in the working directory shadowing it).
WORKDIR /src
COPY pyproject.toml README.md ./
COPY states states
COPY workflow workflow
COPY workers workers
COPY cli cli
COPY web web
RUN pip install . && cd / && rm -rf /src

# Letter templates live at the repository's top level, outside the Python packages; they are
# read from here.
WORKDIR /app
COPY templates templates
ENV OGI_TEMPLATE_DIR=/app/templates/answer_letters

# Run as an unprivileged user; /app stays read-only to it (beat writes its schedule to /tmp).
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/ogi --shell /usr/sbin/nologin ogi
USER 10001:10001

# No default database: every service sets OGI_DATABASE_URL (a SQLite file inside the
# container would silently lose its data with the container).
CMD ["ogi", "--help"]
