"""Which hostnames Bastide answers on: exactly the hostnames of its Wagtail Sites."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port, validate_host

CACHE_KEY = "bastide:site-hostnames"
CACHE_SECONDS = 30
# The hostname is checked on every request; a short in-process memo spares the shared
# cache that round trip while a new site still shows up within a second.
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


def allowed_hosts():
    """The hostnames Bastide answers on: the fixed extra names (ALLOWED_HOSTS_EXTRA, which
    may use Django's ".example.org" form), then its Sites'."""
    return [*getattr(settings, "ALLOWED_HOSTS_EXTRA", ()), *known_hostnames()]


class ProvisionedHostsMiddleware:
    """Answer on exactly the hostnames of the provisioned sites.

    Django's ALLOWED_HOSTS is a fixed list (it lets everything through, see the settings);
    this reads the Site table (cached), so a newly provisioned collectivité is served at
    once and an unknown hostname gets Django's own 400 (DisallowedHost, logged as Django
    logs it), never the default site. First after the health probes: nothing before it
    reads the hostname.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request._get_raw_host()
        domain, _port = split_domain_port(host)
        # What validate_host(domain, allowed_hosts()) answers, without going through the
        # hundreds of Sites' names: they are exact names, the extra ones may be patterns.
        extra = getattr(settings, "ALLOWED_HOSTS_EXTRA", ())
        if not domain or not (domain in known_hostnames() or validate_host(domain, extra)):
            raise DisallowedHost(f"Invalid HTTP_HOST header: {host!r}: no provisioned site has it.")
        return self.get_response(request)
