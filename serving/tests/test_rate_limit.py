"""The public forms' one rate limit: per form, per client address, kept while Redis is away."""

from django.conf import settings
from django.test import RequestFactory

from serving.rate_limit import PREFIX, RateLimit


def test_the_limit_counts_per_form_and_per_address():
    factory = RequestFactory()
    here = factory.post("/", REMOTE_ADDR="192.0.2.1")
    there = factory.post("/", REMOTE_ADDR="192.0.2.2")
    contact = RateLimit("contact:test", limit=2, window=60)
    alerts = RateLimit("alerts:test", limit=2, window=60)
    for _ in range(2):
        assert not contact.exceeded(here)
        contact.hit(here)
    assert contact.exceeded(here)
    assert not contact.exceeded(there) and not alerts.exceeded(here)


def test_its_keys_are_those_the_resilient_cache_keeps_counting_without_redis():
    source = (settings.BASE_DIR / "config" / "settings" / "base.py").read_text()
    assert f'"LOCAL_FALLBACK_PREFIXES": ["{PREFIX}"]' in source
