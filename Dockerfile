# syntax=docker/dockerfile:1
# Bastide's production images. The application (target `app`, the default), one image for
# several uses (bin/docker-entrypoint.sh):
#   web (default)  migrate, then gunicorn on 0.0.0.0:8000
#   worker         python manage.py db_worker (django-tasks-db)
#   baker          python manage.py bake --follow (the baked pages, docs/serving.md#baked-pages)
#   anything else  run as given: docker compose run --rm web python manage.py provision --all
# and the front (target `front`): nginx, serving the baked pages, /static/ and /media/, and
# passing the rest to web. It is built here, from the application's stage, because both its
# static files and its configuration (the security headers, from the settings) come from it.
# See compose.yaml for the services around them.

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
FROM ${PYTHON_IMAGE} AS runtime
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
# worker would compile each module from source at each start (docs/serving.md#no-slow-tail).
RUN python -m compileall -q -j 0 -x '^/app/\.venv/' /app

# The production settings refuse to load without SECRET_KEY; this one lives only in this step.
# MEDIA_ROOT and BAKED_ROOT are created here, owned by the app user, so that a fresh named
# volume inherits both. The front's nginx configuration is written from the same settings
# (`manage.py front_config`, serving/front.py); SECURE_SSL_REDIRECT as compose gives web.
ARG SECURE_SSL_REDIRECT=1
RUN SECRET_KEY=collectstatic-only-not-secret python manage.py collectstatic --no-input -v 0 \
    && SECRET_KEY=front-config-only-not-secret SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT} \
       python manage.py front_config /app/front --conf-dir /etc/nginx/bastide \
         --listen 8080 --upstream web:8000 --resolver 127.0.0.11 --user bastide \
         --baked-root /app/var/baked --static-root /app/static --media-root /app/media \
         --run-dir /run/nginx \
    && mkdir -p /app/media /app/var/baked \
    && chown bastide:bastide /app/media /app/var /app/var/baked

# --- Front: nginx from Debian, with the brotli_static module ---------------------------------------
FROM debian:bookworm-slim AS front
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx-light libnginx-mod-http-brotli-static \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 1000 bastide \
    && useradd --system --uid 1000 --gid bastide --no-create-home --shell /usr/sbin/nologin bastide \
    && mkdir -p /run/nginx /app/media /app/var/baked \
    && chown bastide:bastide /app/media /app/var /app/var/baked
# The master runs as root (to bind and to read its configuration); the workers, as the
# application's user, read the files web, worker and baker write.
COPY --from=runtime /app/static /app/static
COPY --from=runtime /app/front /etc/nginx/bastide
EXPOSE 8080
STOPSIGNAL SIGQUIT
CMD ["nginx", "-c", "/etc/nginx/bastide/nginx.conf", "-g", "daemon off;"]

# --- Application (the default target) -------------------------------------------------------------
FROM runtime AS app
USER bastide
EXPOSE 8000
ENTRYPOINT ["/bin/sh", "/app/bin/docker-entrypoint.sh"]
CMD ["web"]
