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
accesslog = "-"
errorlog = "-"
# Nothing in the container uses gunicornc, and the user's home is read-only.
control_socket_disable = True
