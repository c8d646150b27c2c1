"""One rate limit for every public form: the contact form, the newcomers' applications and
alerts, the residents' alerts, the « appel à photos » and the invitations.

Counted per form and per client address in the shared cache, under one prefix that the
resilient cache keeps counting in each process while Redis is away
(`LOCAL_FALLBACK_PREFIXES`, health.cache): a Redis outage never lifts the limit.
"""

from dataclasses import dataclass

from django.core.cache import cache

from serving.client_address import client_ip

PREFIX = "rate:"


@dataclass(frozen=True)
class RateLimit:
    scope: str  # the form, and its page if it has several ("contact:12")
    limit: int = 5  # sendings
    window: int = 600  # seconds

    def key(self, request):
        return f"{PREFIX}{self.scope}:{client_ip(request)}"

    def exceeded(self, request):
        return cache.get(self.key(request), 0) >= self.limit

    def hit(self, request):
        """Count one sending (only what passed the form's checks, as each form decides)."""
        key = self.key(request)
        cache.set(key, cache.get(key, 0) + 1, self.window)
