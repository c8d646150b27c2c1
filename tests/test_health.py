"""/healthz and /readyz as a load balancer sees them: by IP address, over plain HTTP."""

import json

import pytest
from django.test import Client

from health import cache as resilient

# What a load balancer sends: the container's address, no site's hostname.
BY_IP = {"HTTP_HOST": "10.0.0.5:8000"}


def test_healthz_answers_on_any_host_without_touching_anything(
    db, settings, django_assert_num_queries
):
    settings.SECURE_SSL_REDIRECT = True
    client = Client(**BY_IP)
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz").status_code == 405
    # Any other path on that host is still refused.
    assert client.get("/").status_code == 400


def test_readyz_reports_each_dependency_and_leaks_no_secret(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client(**BY_IP).get("/readyz")
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "media", "tasks", "search"}
    for report in body["checks"].values():
        assert report["status"] == "ok" and report["latency_ms"] >= 0
    text = response.content.decode()
    database = settings.DATABASES["default"]
    for secret in (database.get("PASSWORD"), database.get("HOST"), settings.SECRET_KEY):
        if secret:
            assert secret not in text
    assert "redis://" not in text and "postgres://" not in text


def test_readyz_says_degraded_but_ready_when_the_cache_is_down(db, settings):
    """Pages are built from the database without the cache: the instance stays in the pool."""
    resilient.reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "health.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = Client(**BY_IP).get("/readyz")
    resilient.reset_breakers()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "error"
    assert body["checks"]["cache"]["error"] == "ConnectionError"
    assert "127.0.0.1" not in response.content.decode()
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_is_503_when_the_media_storage_is_gone(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "no-such-volume")},
        },
    }
    response = Client(**BY_IP).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["media"] == {
        "status": "error",
        "error": "FileNotFoundError",
        "latency_ms": pytest.approx(body["checks"]["media"]["latency_ms"]),
        "required": True,
    }
    assert str(tmp_path) not in json.dumps(body)


def test_readyz_counts_the_tasks_waiting_in_the_database_queue(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from search.tasks import update_index

    update_index.enqueue(pages=[])
    tasks = Client(**BY_IP).get("/readyz").json()["checks"]["tasks"]
    assert tasks["status"] == "ok"
    assert tasks["backend"] == "database" and tasks["waiting"] == 1


def test_readyz_says_degraded_when_elasticsearch_is_down(db, settings, monkeypatch):
    from search import engines

    monkeypatch.setattr(engines, "_engines", {})
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    response = Client(**BY_IP).get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["status"] == "error"
    assert body["checks"]["search"]["required"] is False
    assert "127.0.0.1" not in response.content.decode()
