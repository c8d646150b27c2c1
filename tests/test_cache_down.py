"""Redis unreachable: the sites are slower, never down (health.cache)."""

import logging

import pytest
from django.core.cache import cache

from conftest import COMMUNE_A, host_client, member
from health import cache as resilient

# A port nothing listens on: every connection is refused at once.
CLOSED = "redis://127.0.0.1:1/0"


def _forget_process_memos():
    from serving import cache as content_cache
    from sitefactory.services import lifecycle

    lifecycle._memo.update(at=0.0, state=None)
    content_cache.forget_process_memory()


@pytest.fixture
def redis_down(communes, settings, caplog):
    """The production cache configuration (config/settings/base.py), on a closed port."""
    resilient.reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "health.cache.ResilientRedisCache",
            "LOCATION": CLOSED,
            "KEY_PREFIX": "bastide-test",
            "TIMEOUT": 300,
            "LOCAL_FALLBACK_PREFIXES": ["rate:"],
        }
    }
    _forget_process_memos()
    caplog.set_level(logging.WARNING, logger="health.cache")
    yield caplog
    resilient.reset_breakers()
    _forget_process_memos()


def _outage_lines(caplog):
    return [r for r in caplog.records if r.name == "health.cache" and r.levelno >= logging.ERROR]


def test_with_redis_down_pages_login_and_host_validation_still_work(communes, redis_down):
    bergerac = communes[COMMUNE_A]
    client = host_client(bergerac.hostname)
    assert client.get("/").status_code == 200
    assert client.get("/mairie/").status_code == 200
    assert client.get("/en/").status_code == 200
    assert client.get("/search/?q=mairie").status_code == 200
    assert client.get("/search/suggest/?q=mai").status_code == 200
    assert client.get("/services/").status_code == 200
    assert client.get("/agenda/ical/").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert host_client("pays.test").get("/api/services.geojson").status_code == 200
    assert host_client("pays.test").get("/").status_code == 200
    assert host_client("inconnue.pays.test").get("/").status_code == 400
    assert host_client("evil.example.com").get("/").status_code == 400

    member("secretaire-bergerac", bergerac, "secretariat")
    admin = host_client("pays.test")
    assert admin.get("/admin/login/").status_code == 200
    response = admin.post("/admin/login/", {"username": "secretaire-bergerac", "password": "x"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert admin.get("/admin/").status_code == 200

    lines = _outage_lines(redis_down)
    assert len(lines) == 1, [r.getMessage() for r in lines]
    message = lines[0].getMessage()
    assert "Cache unreachable" in message and "127.0.0.1" not in message


def test_with_redis_down_a_publication_shows_at_once(communes, redis_down):
    """Nothing is remembered between requests while the cache is away: no stale page."""
    bergerac = communes[COMMUNE_A]
    client = host_client(bergerac.hostname)
    assert "Horaires de la mairie" not in client.get("/mairie/").content.decode()
    from wagtail.models import Page

    mairie = Page.objects.descendant_of(bergerac.home_page).get(slug="mairie").specific
    mairie.title = "Horaires de la mairie"
    mairie.save_revision().publish()
    assert "Horaires de la mairie" in client.get("/mairie/").content.decode()


def test_with_redis_down_the_contact_form_is_still_rate_limited(communes, redis_down):
    from communes.models.contact import RATE_LIMIT
    from communes.tests.test_commune_sites import contact_data

    client = host_client(communes[COMMUNE_A].hostname, REMOTE_ADDR="203.0.113.9")
    for _ in range(RATE_LIMIT):
        assert client.post("/contact/", contact_data()).status_code == 200
    assert client.post("/contact/", contact_data()).status_code == 429


def test_the_breaker_skips_redis_and_forgotten_writes_are_undone_on_recovery(redis_down):
    """While open, no connection is tried; once Redis answers, the writes and deletes it
    missed that would never expire by themselves are deleted there."""
    cache.set("bastide:content-version", "new", None)
    cache.delete("bastide:archived-sites")
    breaker = resilient.breaker_for(CLOSED)
    assert not cache.available
    assert {k.split(":", 2)[-1] for k in breaker.lost} == {
        "bastide:content-version",
        "bastide:archived-sites",
    }
    assert cache.get("x", "default") == "default"
    assert cache.add("x", 1) is False and cache.set_many({"a": 1}) == ["a"]
    with pytest.raises(ValueError):
        cache.incr("x")
    assert len(_outage_lines(redis_down)) == 1


@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="needs a real Redis")
def test_when_redis_answers_again_the_missed_invalidations_are_applied(settings, caplog):
    """Redis was only unreachable (not restarted): it still holds the version from before
    the outage, which a publication during the outage failed to replace."""
    import os

    from redis.exceptions import ConnectionError as RedisConnectionError

    resilient.reset_breakers()
    url = os.environ["REDIS_URL"]
    settings.CACHES = {"default": {"BACKEND": "health.cache.ResilientRedisCache", "LOCATION": url}}
    cache.set("bastide:content-version", "before-the-outage", None)
    breaker = resilient.breaker_for(url)
    breaker.trip(RedisConnectionError())
    cache.set("bastide:content-version", "published-during-the-outage", None)
    assert cache.get("bastide:content-version") is None  # open: not even tried
    breaker.retry_at = 0.0  # the retry period is over
    caplog.set_level(logging.WARNING, logger="health.cache")
    assert cache.get("bastide:content-version") is None  # deleted: a new version follows
    assert not breaker.lost and cache.available
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    resilient.reset_breakers()
