"""A cache of what every page of a site shows around its content (menu, footer, banners).

Entries are keyed by a content version that any publication, move, deletion or settings
change bumps, so they never outlive the content they were made from; a short timeout bounds
what a per-process cache may keep.
"""

from django.core.cache import cache

VERSION_KEY = "bastide:content-version"
TIMEOUT = 300


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY) or 1
    return version


def bump_content_version(**_kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def cached(name, parts, build):
    key = f"bastide:{name}:{content_version()}:" + ":".join(str(p) for p in parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
