"""What page views need from the database, cached under one content version.

Any publication, move, deletion or settings change bumps the version, so an entry never
outlives the content it was made from. The version is a random token, not a counter: a
cache that is cleared (or a test database rolled back) can never bring an old version back.

Two layers. The shared cache (Redis in production) holds the entries for every process;
each process also keeps what it has used in memory, so a page view does not unpickle the
same menu or site settings on every request. The process layer is emptied whenever the
version changes, and bounded in age and size. Values handed out by the process layer are
shared between requests: callers treat them as read-only (or copy them).
"""

import contextlib
import contextvars
import time
import typing
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "bastide:content-version"
TIMEOUT = 300
MEMO_MAX_ENTRIES = 20_000

_memo = {"version": None, "born": 0.0, "entries": {}}
_MISSING = object()
# The version read once at the start of a request (ContentVersionMiddleware), so that the
# dozen lookups of one page view cost one round trip to the shared cache, not a dozen.
_request_version = contextvars.ContextVar("bastide_content_version", default=None)


def read_content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        # Still nothing: the cache is unreachable (health.cache). A version of this request's
        # own keeps the process memo from serving what another process has since changed.
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex
    return version


def content_version():
    return _request_version.get() or read_content_version()


def _new_version():
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    if _request_version.get() is not None:
        _request_version.set(version)


_deferred = contextvars.ContextVar("bastide_deferred_bumps", default=None)

# --- What changed, for those who keep rendered pages (serving.baking) ---------------------------
PAYS = "pays"
_listeners = []


class Change(typing.NamedTuple):
    """A committed change: the sites whose pages it touches, or every site (`pays`)."""

    sites: frozenset
    pays: bool


def on_change(callback):
    """Call `callback(change)` once each change is committed (at once outside a transaction)."""
    if callback not in _listeners:
        _listeners.append(callback)


def _notify(change):
    for callback in list(_listeners):
        callback(change)


# The site whose page is being served or baked: what is cached while it is set depends on
# that site's content version (and the Pays-wide one), not on any other site's.
current_site_id = contextvars.ContextVar("bastide_current_site", default=None)


@contextlib.contextmanager
def site_scope(site_id):
    token = current_site_id.set(site_id)
    try:
        yield
    finally:
        current_site_id.reset(token)


def bake_key(site_id):
    """The versions a site's pages were made from, read from the shared cache now: a baked
    copy made under another key is out of date."""
    return read_content_version()


def bump_sites(site_ids):
    """Invalidate what the pages of these sites (ids) show, now and once committed."""
    site_ids = frozenset(site_ids)
    if not site_ids:
        return
    bump_content_version()


def bump_content_version(**_kwargs):
    """Invalidate everything now, and again once the change is committed.

    The second bump matters: a view in another process may rebuild an entry between the
    signal (inside the transaction) and the commit, from data it could not see yet.
    """
    pending = _deferred.get()
    if pending is not None:
        pending.append(True)
        return
    _new_version()
    transaction.on_commit(_new_version)
    transaction.on_commit(lambda: _notify(Change(frozenset(), True)))


@contextlib.contextmanager
def deferred_bumps():
    """Within a bulk job (an import of thousands of rows), one bump at the end."""
    if _deferred.get() is not None:
        yield
        return
    token = _deferred.set([])
    try:
        yield
    finally:
        pending = _deferred.get()
        _deferred.reset(token)
        if pending:
            bump_content_version()


def _memo_for(version):
    now = time.monotonic()
    if (
        _memo["version"] != version
        or now - _memo["born"] > TIMEOUT
        or len(_memo["entries"]) > MEMO_MAX_ENTRIES
    ):
        _memo.update(version=version, born=now, entries={})
    return _memo["entries"]


# The port of the request being served, when the dev settings follow it (serving.siteurls's
# RequestPortMiddleware), else None: what is cached may hold URLs built for it.
request_port = contextvars.ContextVar("bastide_request_port", default=None)


def served_port():
    return request_port.get() or settings.SITE_PORT


def cached(name, parts, build, shared=True):
    """The value `build()` returns, for this content version.

    `shared=False` keeps it in this process only: for values that are cheap to rebuild but
    costly to pickle (model instances with their related rows).
    """
    version = content_version()
    entries = _memo_for(version)
    # The port is part of the key: what is cached may hold URLs (serving.siteurls).
    key = f"bastide:{name}:{version}:{served_port()}:" + ":".join(str(p) for p in parts)
    try:
        return entries[key]
    except KeyError:
        pass
    value = cache.get(key, _MISSING) if shared else _MISSING
    if value is _MISSING:
        value = build()
        if shared:
            cache.set(key, value, TIMEOUT)
    entries[key] = value
    return value


class ContentVersionMiddleware:
    """Read the content version once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_version.set(read_content_version())
        try:
            return self.get_response(request)
        finally:
            _request_version.reset(token)
