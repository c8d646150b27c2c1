"""Gunicorn settings for the production image (see bin/docker-entrypoint.sh)."""

import os

bind = "0.0.0.0:8000"  # inside the container; the reverse proxy is in front
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Provisioning from the admin runs in the worker, so no request needs long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Recycle workers now and then so that a slow leak never grows unbounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Workers fork from a master that has loaded Django: a worker recycled by max_requests is
# serving again in milliseconds, not after a second of imports.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# Nothing in the container uses gunicornc, and the user's home is read-only.
control_socket_disable = True


def when_ready(server):
    """Warm the master before it forks: URL patterns, the three catalogues and the compiled
    templates are then in every worker from its first request, recycled ones included.
    Nothing here touches the database, so no connection is shared between processes."""
    if not server.cfg.preload_app:
        return
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    get_resolver().url_patterns  # noqa: B018 - imports every URLconf
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
    engine = engines["django"].engine
    # The project's own apps (Wagtail's admin templates are not on a visitor's way).
    for app in apps.get_app_configs():
        directory = Path(app.path) / "templates"
        if Path(app.path).parent != Path(settings.BASE_DIR) or not directory.is_dir():
            continue
        for path in directory.rglob("*.html"):
            engine.get_template(path.relative_to(directory).as_posix())
