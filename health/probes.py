"""/healthz and /readyz, for the load balancer and the container runtime.

They answer before any other middleware: a load balancer asks the container by its address,
which is no site's hostname (host validation would answer 400), over plain HTTP inside the
network (the HTTPS redirect would answer 301). They touch no session, no page, no cache of
pages, and are never cached.

/healthz  liveness: the process answers. Touches nothing else, so a restart never follows a
          database outage.
/readyz   readiness: the database, the cache, the media storage, the task queue and the search
          engine, each with its status and latency. 503 when one that pages cannot do without
          fails (database, media, tasks); the cache (pages are then built from the database,
          health.cache) and Elasticsearch (only the search page is then unavailable) are
          optional: their failure makes the status "degraded", still 200.

Errors are named by their exception class only: messages may carry addresses or DSNs.
"""

import json
import os
import time

from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.http import HttpResponse

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
PROBE_KEY = "bastide:readyz"
# The task queue is late, not broken, past this many waiting seconds: reported, not failed.
TASKS_LATE_SECONDS = 15 * 60


def _database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _cache():
    backend = caches["default"]
    client = getattr(backend, "_cache", None)
    if hasattr(client, "get_client"):
        # Redis itself, past the breaker of health.cache that would hide its outage.
        client.get_client(write=True).ping()
        return {"backend": "redis"}
    backend.set(PROBE_KEY, "1", 10)
    if backend.get(PROBE_KEY) != "1":
        raise RuntimeError("cache did not keep a value")
    return {"backend": type(backend).__name__}


def _media():
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        location = storage.location
        if not os.path.isdir(location):
            raise FileNotFoundError("media directory missing")
        if not os.access(location, os.W_OK | os.X_OK):
            raise PermissionError("media directory not writable")
    else:
        storage.exists(PROBE_KEY)  # one round trip to the storage service
    return {}


def _tasks():
    from django_tasks import task_backends

    backend = task_backends["default"]
    if type(backend).__module__.startswith("django_tasks_db"):
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        age = (timezone.now() - oldest).total_seconds() if oldest else 0
        return {"backend": "database", "waiting": waiting.count(), "oldest_waiting_s": int(age)}
    return {"backend": type(backend).__name__}


def _search():
    from search.engines import engine_name, get_engine

    name = engine_name()
    if name == "elasticsearch":
        get_engine().client.options(request_timeout=2).info()
    return {"backend": name}


# name, check, required for serving
CHECKS = [
    ("database", _database, True),
    ("cache", _cache, False),
    ("media", _media, True),
    ("tasks", _tasks, True),
    # Without its engine, the search page says so (503) and every other page is served.
    ("search", _search, False),
]


def readiness():
    """(status, {check: report}): status is "ok", "degraded" or "error"."""
    reports, status = {}, "ok"
    for name, check, required in CHECKS:
        start = time.perf_counter()
        try:
            report = {"status": "ok", **check()}
        except Exception as exc:  # noqa: BLE001 - any failure is the answer, not a crash
            report = {"status": "error", "error": type(exc).__name__}
            if required:
                status = "error"
            elif status == "ok":
                status = "degraded"
        report["latency_ms"] = round((time.perf_counter() - start) * 1000, 1)
        report["required"] = required
        reports[name] = report
    if reports["tasks"].get("oldest_waiting_s", 0) > TASKS_LATE_SECONDS:
        reports["tasks"]["late"] = True
        status = "degraded" if status == "ok" else status
    return status, reports


def _json(data, status=200):
    response = HttpResponse(json.dumps(data), content_type="application/json", status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ProbeMiddleware:
    """First in MIDDLEWARE: answers the two probe paths on any host, before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path not in (LIVENESS_PATH, READINESS_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _json({"error": "GET or HEAD"}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        if path == LIVENESS_PATH:
            return _json({"status": "ok"})
        status, checks = readiness()
        return _json({"status": status, "checks": checks}, status=503 if status == "error" else 200)
