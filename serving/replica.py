"""Visitors' page views read a PostgreSQL replica; everything else reads and writes the primary.

On when DATABASE_REPLICA_URL is set (config/settings/databases.py, docs/scaling.md#read-replica).
Reads go to the primary unless the request's middleware opened a replica window: an anonymous
GET or HEAD (no session, no message, nothing written a moment ago), outside the admin. Within
it, the first write moves the rest of the request to the primary, and the response carries a
cookie with the primary's WAL position: the visitor's next requests read the replica only once
it has replayed their write. The baker, tasks, commands and threads read the primary.

Lag. A lagging replica must never fill a cache under a new content version with what it held
before the change: that stale copy would be served until the next change. So each version
(serving.cache) carries the primary's WAL position once it is committed, and a request reads
the replica only while the replica has replayed every version the request has read; otherwise
it reads the primary (the check runs on each read of versions, before any cache is filled).
Cheaper rules were not enough: "whatever fills a cache reads the primary" leaves the objects
loaded before a fill (the page, then its menu), and this process' memories (routes, pages), on
the replica; a window of primary reads after a change guesses at the lag. The cost is nothing
on most requests: the replica's position, once read, is remembered by the process (it only
grows), and asked again only when a newer version needs it.
"""

import contextlib
import contextvars
import logging
import re
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)

logger = logging.getLogger(__name__)

REPLICA = "replica"
ROUTER = "serving.replica.ReplicaRouter"
# In a version, after the random token: the primary's WAL position when it was made.
LSN_MARK = "@"
# Statements that change rows (what Django and Wagtail send; a replica refuses them all).
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.IGNORECASE)
# A server that is not in recovery (the primary itself, a promoted standby) is never behind.
CAUGHT_UP = 1 << 64


@dataclass
class Reads:
    """Where one request (or one job) reads."""

    replica: bool = False  # reads go to the replica
    used: bool = False  # some did
    wrote: bool = False
    failed: bool = False  # a database error while some did


_reads = contextvars.ContextVar("bastide_replica_reads", default=None)
# The replica's replay position last read by this process, and until when it is not asked
# again after a failure.
_replayed = {"lsn": 0}
_down_until = {"at": 0.0}


def enabled():
    """Whether reads are routed (config/settings/databases.py): the test settings keep the
    replica's alias as a mirror of the primary, and route nothing to it."""
    return ROUTER in settings.DATABASE_ROUTERS


@contextlib.contextmanager
def primary_reads():
    """Within: every read goes to the primary, whatever a request's middleware would decide
    (the baker renders pages through the whole handler, and must see what was committed)."""
    token = _reads.set(Reads())
    try:
        yield
    finally:
        _reads.reset(token)


# --- WAL positions --------------------------------------------------------------------------------


def parse_lsn(text):
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


# Sizes of the headers that open each WAL page, and the first page of each segment (PostgreSQL's
# SizeOfXLogShortPHD and SizeOfXLogLongPHD, MAXALIGNed on 64-bit builds).
SHORT_PAGE_HEADER = 24
LONG_PAGE_HEADER = 40

PRIMARY_POSITION_SQL = (
    "SELECT pg_current_wal_insert_lsn(), current_setting('wal_block_size')::bigint,"
    " (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')"
)


def record_end(insert_lsn, block_size, segment_size):
    """The end of the last WAL record before `insert_lsn`, which is what a standby reports as
    replayed. When the last record ends exactly on a page boundary, PostgreSQL's insert
    position already points past the next page's header, a position no replay ever reaches
    until more WAL is written: step back over that header."""
    if insert_lsn % segment_size == LONG_PAGE_HEADER:
        return insert_lsn - LONG_PAGE_HEADER
    if insert_lsn % block_size == SHORT_PAGE_HEADER:
        return insert_lsn - SHORT_PAGE_HEADER
    return insert_lsn


def primary_lsn():
    """Where the primary's WAL ends now: every transaction committed so far is before it."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(PRIMARY_POSITION_SQL)
        insert_lsn, block_size, segment_size = cursor.fetchone()
        return record_end(parse_lsn(insert_lsn), block_size, segment_size)


def version_stamp():
    """What follows the random token of a new content version (serving.cache): nothing
    without a replica; else the primary's WAL position, which the replica must have replayed
    before a request fills caches under that version from it. Unknown (the query failed):
    the highest position, so that only the primary fills them."""
    if not enabled():
        return ""
    try:
        lsn = primary_lsn()
    except DatabaseError:
        lsn = CAUGHT_UP - 1
    return f"{LSN_MARK}{lsn:x}"


def version_lsn(version):
    _token, mark, lsn = version.rpartition(LSN_MARK)
    return int(lsn, 16) if mark else 0


def _read_replayed():
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn()")
        value = cursor.fetchone()[0]
    return CAUGHT_UP if value is None else parse_lsn(value)


def replica_has(lsn):
    """Whether the replica has replayed the WAL up to `lsn` (asked only when needed)."""
    if _replayed["lsn"] >= lsn:
        return True
    if time.monotonic() < _down_until["at"]:
        return False
    try:
        replayed = _read_replayed()
    except DatabaseError as error:
        _replica_failed(error)
        return False
    _replayed["lsn"] = max(_replayed["lsn"], replayed)
    return replayed >= lsn


def _replica_failed(error):
    _down_until["at"] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    _replayed["lsn"] = 0
    logger.warning("read replica unreachable (%s): reading the primary", error)
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()


def forget_replica_position(sender, connection, **kwargs):
    """connection_created: a new connection to the replica may reach another server (a
    standby rebuilt, behind the old one)."""
    if connection.alias == REPLICA:
        _replayed["lsn"] = 0


def versions_read(versions):
    """serving.cache: the request is about to use these versions. Off the replica for the
    rest of the request unless the replica has replayed all of them."""
    reads = _reads.get()
    if reads is None or not reads.replica:
        return
    needed = max((version_lsn(version) for version in versions), default=0)
    if not replica_has(needed):
        reads.replica = False


# --- The router -----------------------------------------------------------------------------------


class ReplicaRouter:
    """Reads to the replica within a request's replica window, everything else to the
    primary, explicitly: an object loaded from the replica and kept in memory must not take
    a later request's related reads there (Django would follow the object's database)."""

    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is not None and reads.replica:
            reads.used = True
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Asked before reads too (get_or_create reads where it may write): what is written is
        # watched on the primary's connection instead (ReplicaReadsMiddleware).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows on both: a page read from the replica may be given to a primary's.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        # A physical copy of the primary: its schema comes with the WAL.
        return False if db == REPLICA else None


# --- The request's window -------------------------------------------------------------------------


def replica_candidate(request):
    """An anonymous visitor's GET or HEAD of a public URL, with nothing of their own pending:
    no session (an editor), no message, and any write of theirs replayed by the replica."""
    from serving.baking import bypass_cookies

    if request.method not in ("GET", "HEAD"):
        return False
    if any(request.path_info.startswith(prefix) for prefix in settings.REPLICA_PRIMARY_PATHS):
        return False
    if any(name in request.COOKIES for name in bypass_cookies()):
        return False
    wrote = request.COOKIES.get(settings.REPLICA_WROTE_COOKIE)
    if wrote is None:
        return True
    try:
        return replica_has(int(wrote, 16))
    except ValueError:
        return False


def request_failed(sender, request=None, **kwargs):
    """got_request_exception: a database error in a request that read the replica may be the
    replica's. The middleware answers it again from the primary."""
    reads = _reads.get()
    error = sys.exception()
    if reads is not None and reads.used and isinstance(error, OperationalError | InterfaceError):
        reads.failed = True


class ReplicaReadsMiddleware:
    """Opens a request's replica window (just after serving.cache's middleware, which has
    found the site and keeps the versions the request reads)."""

    def __init__(self, get_response):
        if not enabled():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if _reads.get() is not None:  # the baker, already on the primary
            return self.get_response(request)
        reads = Reads(replica=replica_candidate(request))
        response = self._respond(request, reads)
        if reads.failed and not reads.wrote:
            # A GET or HEAD, nothing written: answered again, from the primary.
            _replica_failed("error during a request")
            reads = Reads()
            response = self._respond(request, reads)
        if reads.wrote:
            response.set_cookie(
                settings.REPLICA_WROTE_COOKIE,
                f"{primary_lsn():x}",
                max_age=settings.REPLICA_WROTE_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _respond(self, request, reads):
        from serving.cache import ANY, PAYS, STRUCTURE, current_site_id, read_versions, site_key

        token = _reads.set(reads)
        try:
            if reads.replica:
                # Every version a page view of this site uses, read (and kept for the request)
                # now: its cache fills are all checked against the replica before the first.
                # Not `any`, which a site's page view does not use: while the replica replays
                # a change on another site, this one's visitors stay on it.
                site_id = current_site_id.get()
                own = [site_key(site_id)] if site_id is not None else [ANY]
                read_versions([PAYS, STRUCTURE, *own])
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_watch_writes(reads)):
                return self.get_response(request)
        finally:
            _reads.reset(token)


def _watch_writes(reads):
    """The first statement that writes on the primary ends the request's replica window."""

    def watch(execute, sql, params, many, context):
        if not reads.wrote and WRITES.match(sql):
            reads.wrote = True
            reads.replica = False
        return execute(sql, params, many, context)

    return watch
