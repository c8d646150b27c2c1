"""Which hostnames Bastide answers on: exactly the hostnames of its Wagtail Sites."""

from django.core.cache import cache
from wagtail.models import Site

CACHE_KEY = "bastide:site-hostnames"


def known_hostnames():
    hostnames = cache.get(CACHE_KEY)
    if hostnames is None:
        hostnames = frozenset(h.lower() for h in Site.objects.values_list("hostname", flat=True))
        cache.set(CACHE_KEY, hostnames, None)
    return hostnames


def forget_hostnames(**_kwargs):
    cache.delete(CACHE_KEY)
