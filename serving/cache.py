"""What page views need from the database, cached under content versions, one per site.

A change bumps the versions of what it touches, so an entry never outlives the content it
was made from. There are four kinds of version (scopes):

- one per site (`site:<id>`): a publication on Lalinde bumps Lalinde's (and the portal's,
  which gathers what the communes publish), never Bergerac's;
- the Pays-wide one (`pays`): what every site shows (the registry, the directory, the
  Occitan lexicon, the portal's own pages);
- the structure (`structure`): the sites, their hostnames and root pages, the languages.
  Wagtail's site root paths are kept under it alone, so content changes leave them be;
- `any`, bumped by every change: for what is cached outside any site's request.

An entry cached while a site's page is served (or baked) depends on the Pays-wide version
and that site's; `scope=PAYS` or `scope=STRUCTURE` narrows it. Versions are random tokens,
not counters: a cache that is cleared can never bring an old version back. With a read
replica, each also carries the primary's WAL position, so that a replica that has not replayed
a change never fills caches under its version (serving.replica).

Two layers. The shared cache (Redis in production) holds the entries and the versions for
every process; each process also keeps what it has used in memory, one box per scope, emptied
when that scope's version changes. Reading a version costs no round trip on most requests: a
process trusts what it read for `CONTENT_VERSION_LEASE` seconds (a quarter of a second in
production, none in development and tests), and learns its own changes at once.
"""

import contextlib
import contextvars
import time
import typing
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from serving import replica

ANY, PAYS, STRUCTURE = "any", "pays", "structure"
KEY_PREFIX = "bastide:cv:"
TIMEOUT = 300
MEMO_MAX_ENTRIES = 5_000  # per scope
MEMO_MAX_SCOPES = 2_000

_MISSING = object()
# scope -> (version, monotonic time until which it is trusted)
_leases = {}
# scope key (a tuple of scopes) -> {"versions", "born", "entries"}, most recently used last
_memo = OrderedDict()
# The versions read during one request, so that its dozen lookups agree with each other.
_request_versions = contextvars.ContextVar("bastide_content_versions", default=None)
# The site whose page is being served or baked.
current_site_id = contextvars.ContextVar("bastide_current_site", default=None)
_deferred = contextvars.ContextVar("bastide_deferred_bumps", default=None)


def site_key(site_id):
    return f"site:{site_id}"


def _lease_seconds():
    return getattr(settings, "CONTENT_VERSION_LEASE", 0)


def _fetch(scopes):
    """Versions of `scopes` from the shared cache, created when missing."""
    keys = {KEY_PREFIX + scope: scope for scope in scopes}
    found = cache.get_many(list(keys))
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex + replica.version_stamp(), None)
    missing = [key for key in keys if key not in found]
    if missing:
        found.update(cache.get_many(missing))
    # Still nothing: the cache is unreachable (health.cache). A version of this read's own
    # keeps the process memo from serving what another process has since changed.
    return {scope: found.get(key) or uuid.uuid4().hex for key, scope in keys.items()}


def read_versions(scopes, fresh=False):
    """The current versions of `scopes`, through this process' lease unless `fresh`."""
    now = time.monotonic()
    request = _request_versions.get()
    versions, wanted = {}, []
    for scope in scopes:
        if not fresh and request is not None and scope in request:
            versions[scope] = request[scope]
            continue
        leased = _leases.get(scope)
        if not fresh and leased is not None and leased[1] > now:
            versions[scope] = leased[0]
        else:
            wanted.append(scope)
    if wanted:
        lease = now + _lease_seconds()
        for scope, version in _fetch(wanted).items():
            versions[scope] = version
            _leases[scope] = (version, lease)
    if request is not None and not fresh:
        request.update(versions)
    # With a read replica: off it for the rest of the request if it is behind these versions.
    replica.versions_read(versions.values())
    return versions


def content_version():
    """The version bumped by every change (kept for what watches any change at all)."""
    return read_versions([ANY])[ANY]


read_content_version = content_version


def bake_key(site_id):
    """The versions a site's pages are made from, read from the shared cache now: a baked
    copy made under another key is out of date."""
    scopes = [STRUCTURE, PAYS, site_key(site_id)]
    versions = read_versions(scopes, fresh=True)
    return "-".join(versions[scope] for scope in scopes)


# --- Changes --------------------------------------------------------------------------------------


class Change(typing.NamedTuple):
    """A committed change: the sites whose pages it touches, or every site (`pays`)."""

    sites: frozenset
    pays: bool


_listeners = []


def on_change(callback):
    """Call `callback(change)` once each change is committed (at once outside a transaction)."""
    if callback not in _listeners:
        _listeners.append(callback)


def _notify(change):
    for callback in list(_listeners):
        callback(change)


def _new_versions(scopes):
    stamp = replica.version_stamp()
    versions = {KEY_PREFIX + scope: uuid.uuid4().hex + stamp for scope in scopes}
    cache.set_many(versions, None)
    lease = time.monotonic() + _lease_seconds()
    request = _request_versions.get()
    for key, version in versions.items():
        scope = key[len(KEY_PREFIX) :]
        _leases[scope] = (version, lease)
        if request is not None:
            request[scope] = version


def _bump(scopes, change):
    pending = _deferred.get()
    if pending is not None:
        pending.append((scopes, change))
        return
    _new_versions(scopes)
    # Again at commit: a view in another process may rebuild an entry between the signal
    # (inside the transaction) and the commit, from data it could not see yet.
    transaction.on_commit(lambda: _new_versions(scopes))
    transaction.on_commit(lambda: _notify(change))


def bump_sites(site_ids):
    """Invalidate what the pages of these sites (ids) show, now and once committed."""
    site_ids = frozenset(site_ids)
    if site_ids:
        _bump([ANY, *(site_key(pk) for pk in sorted(site_ids))], Change(site_ids, False))


def bump_content_version(**_kwargs):
    """Invalidate what every site shows (a Pays-wide change)."""
    _bump([ANY, PAYS], Change(frozenset(), True))


def bump_structure(**_kwargs):
    """The sites themselves changed (hostnames, root pages, languages): everything goes."""
    _bump([ANY, PAYS, STRUCTURE], Change(frozenset(), True))


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
            scopes, sites, pays = {ANY}, set(), False
            for bumped, change in pending:
                scopes.update(bumped)
                sites |= change.sites
                pays = pays or change.pays
            _bump(sorted(scopes), Change(frozenset() if pays else frozenset(sites), pays))


# --- Entries --------------------------------------------------------------------------------------


@contextlib.contextmanager
def site_scope(site_id):
    """What is cached within depends on this site's version (a page served or baked)."""
    token = current_site_id.set(site_id)
    try:
        yield
    finally:
        current_site_id.reset(token)


def _scopes_for(scope):
    if scope is not None:
        return (scope,)
    site_id = current_site_id.get()
    return (PAYS, site_key(site_id)) if site_id is not None else (ANY,)


def _box(scopes, versions):
    now = time.monotonic()
    box = _memo.get(scopes)
    if box is None or box["versions"] != versions or now - box["born"] > TIMEOUT:
        box = {"versions": versions, "born": now, "entries": {}}
        _memo[scopes] = box
        while len(_memo) > MEMO_MAX_SCOPES:
            with contextlib.suppress(KeyError, StopIteration):
                _memo.pop(next(iter(_memo)))
    elif len(box["entries"]) > MEMO_MAX_ENTRIES:
        box["entries"] = {}
    with contextlib.suppress(KeyError):
        _memo.move_to_end(scopes)
    return box["entries"]


def forget_process_memory():
    """Forget what this process remembers (tests, and a cache that went away)."""
    _memo.clear()
    _leases.clear()


# The port of the request being served, when the dev settings follow it (serving.siteurls's
# RequestPortMiddleware), else None: what is cached may hold URLs built for it.
request_port = contextvars.ContextVar("bastide_request_port", default=None)


def served_port():
    return request_port.get() or settings.SITE_PORT


def cached(name, parts, build, shared=True, scope=None):
    """The value `build()` returns, for the current versions of what it depends on.

    By default that is the site being served (and the Pays-wide version), or any change at
    all outside a site's request; `scope=PAYS` for what depends only on Pays-wide data,
    `scope=STRUCTURE` for the sites themselves. `shared=False` keeps the value in this
    process only: for values cheap to rebuild but costly to pickle (model instances).
    """
    scopes = _scopes_for(scope)
    read = read_versions(scopes)
    versions = tuple(read[s] for s in scopes)
    entries = _box(scopes, versions)
    # The port is part of the key: what is cached may hold URLs (serving.siteurls).
    key = f"bastide:{name}:{'-'.join(versions)}:{served_port()}:" + ":".join(str(p) for p in parts)
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
    """Per request: the site served (its entries depend on its version), and the versions
    read once so that the lookups of one page view agree."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from serving.pages import site_for_request

        token = _request_versions.set({})
        try:
            site = site_for_request(request)
            with site_scope(site.pk if site is not None else None):
                return self.get_response(request)
        finally:
            _request_versions.reset(token)
