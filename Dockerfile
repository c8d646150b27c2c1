# syntax=docker/dockerfile:1
# Bastide's production image. One image, three uses (bin/docker-entrypoint.sh):
#   web (default)  migrate, then gunicorn on 0.0.0.0:8000; whitenoise serves /static/
#   worker         python manage.py db_worker (django-tasks-db)
#   anything else  run as given: docker compose run --rm web python manage.py provision --all
# See compose.yaml for the services around it.

ARG PYTHON_IMAGE=python:3.11-slim

# --- Dependencies, from the lock only -------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS deps
# Same uv as the Makefile and the dev dependency group.
ARG UV_VERSION=0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir --root-user-action=ignore "uv==${UV_VERSION}"
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

# --- Runtime --------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production

# --- Backups: pg_dump and pg_restore for `manage.py backup` and `restore_backup`. pg_dump refuses
# a server newer than itself: Debian 12's own client is 15 and compose.yaml runs PostgreSQL 16,
# so the client comes from the PostgreSQL project's repository (PGDG), of the server's version.
ARG PG_CLIENT_VERSION=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends "postgresql-client-${PG_CLIENT_VERSION}" \
    && rm -rf /var/lib/apt/lists/*
# --- Occitan machine suggestions in the translation editor (communes/machine_translation.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends apertium apertium-oci-fra \
    && rm -rf /var/lib/apt/lists/*
# --- Occitan recordings: ffprobe checks the uploads, ffmpeg makes the web copies (occitan/).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
# The commit written into each backup's manifest (compose.yaml passes it from the environment).
ARG BASTIDE_REVISION=""
ENV BASTIDE_REVISION=${BASTIDE_REVISION}

RUN groupadd --system --gid 1000 bastide \
    && useradd --system --uid 1000 --gid bastide --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin bastide

WORKDIR /app
COPY --from=deps /app/.venv /app/.venv
COPY . .
# Our own code's bytecode, compiled here (the dependencies' was, by UV_COMPILE_BYTECODE): with
# PYTHONDONTWRITEBYTECODE no process writes it, so without this every gunicorn master and
# worker would compile each module from source at each start (docs/serving-tail.md).
RUN python -m compileall -q -j 0 -x '^/app/\.venv/' /app

# The production settings refuse to load without SECRET_KEY; this one lives only in this step.
# MEDIA_ROOT is created here, owned by the app user, so a fresh named volume inherits both.
RUN SECRET_KEY=collectstatic-only-not-secret python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /app/media \
    && chown bastide:bastide /app/media

USER bastide
EXPOSE 8000
ENTRYPOINT ["/bin/sh", "/app/bin/docker-entrypoint.sh"]
CMD ["web"]
