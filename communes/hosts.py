"""Which hostnames Bastide answers on: exactly the hostnames of its Wagtail Sites."""

import time

from django.core.cache import cache

CACHE_KEY = "bastide:site-hostnames"
CACHE_SECONDS = 30
# Django asks for the host several times per request; a short in-process memo spares the
# shared cache those round trips while a new site still shows up within a second.
MEMO_SECONDS = 1.0
_memo = {"at": 0.0, "hostnames": None}


def known_hostnames():
    now = time.monotonic()
    if _memo["hostnames"] is not None and now - _memo["at"] < MEMO_SECONDS:
        return _memo["hostnames"]
    hostnames = cache.get(CACHE_KEY)
    if hostnames is None:
        from django.db import DatabaseError
        from wagtail.models import Site

        try:
            hostnames = frozenset(
                h.lower() for h in Site.objects.values_list("hostname", flat=True)
            )
        except DatabaseError:
            return frozenset()  # not migrated yet: serve nothing, remember nothing
        # Expiry matters when the cache is per process (no REDIS_URL): a site provisioned
        # by another process then shows up within CACHE_SECONDS.
        cache.set(CACHE_KEY, hostnames, CACHE_SECONDS)
    _memo.update(at=now, hostnames=hostnames)
    return hostnames


def forget_hostnames(**_kwargs):
    _memo.update(at=0.0, hostnames=None)
    cache.delete(CACHE_KEY)


class ProvisionedHosts(list):
    """ALLOWED_HOSTS that is exactly the hostnames of the provisioned sites.

    Django iterates ALLOWED_HOSTS on every request; this iterable answers from the Site
    table (cached), so a newly provisioned collectivité is served at once and an unknown
    hostname gets Django's 400 instead of the default site. `extra` adds fixed names
    (e.g. an internal health-check host). It subclasses list because Django checks the
    setting's type; the list itself holds only the extra names.
    """

    def __init__(self, extra=()):
        self.extra = [h for h in extra if h]
        super().__init__(self.extra)

    def __iter__(self):
        yield from self.extra
        yield from known_hostnames()

    def __contains__(self, host):
        return host in self.extra or host in known_hostnames()

    def __len__(self):
        return len(self.extra) + len(known_hostnames())

    def __bool__(self):
        return True

    def __repr__(self):
        return f"ProvisionedHosts(extra={self.extra!r})"
