"""Bake many sites (sequentially or in forked processes), and the baker's loop (`bake
--follow`): bake again each site when its files expire or when a change was not baked."""

import datetime
import json
import logging
import multiprocessing
import time

from django.db import DatabaseError, connections
from django.utils import timezone

from serving import cache as serving_cache
from serving.baking import layout
from serving.baking.engine import bake_site, withdraw

logger = logging.getLogger(__name__)
# The loop re-reads the manifests and the bake keys at most this often (seconds).
FOLLOW_INTERVAL = 5.0


def sites(site_ids=None):
    from wagtail.models import Site

    queryset = Site.objects.select_related("root_page").order_by("hostname")
    if site_ids is not None:
        queryset = queryset.filter(pk__in=site_ids)
    return [site for site in queryset if layout.HOST_RE.match(layout.host_of(site))]


def bake_sites(site_ids=None, report=None):
    """Bake these sites (all when None) one after the other; the BakeResults."""
    results = []
    for site in sites(site_ids):
        try:
            result = bake_site(site)
        except DatabaseError:
            raise
        except Exception:
            logger.exception("baking %s failed", site.hostname)
            continue
        results.append(result)
        if report:
            report(result)
    return results


def _bake_one(site_id):
    return bake_site(sites([site_id])[0])


def bake_all(parallel=1, report=None):
    """Bake every site, in `parallel` forked processes (1: in this one)."""
    if parallel <= 1:
        return bake_sites(report=report)
    ids = [site.pk for site in sites()]
    connections.close_all()  # the children open their own
    context = multiprocessing.get_context("fork")
    results = []
    with context.Pool(parallel, initializer=connections.close_all) as pool:
        for result in pool.imap_unordered(_bake_one, ids):
            results.append(result)
            if report:
                report(result)
    return results


def read_manifest(host):
    try:
        with open(layout.site_link(host) / layout.MANIFEST, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def parse_moment(value):
    return datetime.datetime.fromisoformat(value) if value else None


def due_sites(now=None):
    """(site ids to bake now, those of them whose files expired, the earliest moment a baked
    site expires)."""
    now = now or timezone.now()
    due, expired, earliest = [], [], None
    for site in sites():
        manifest = read_manifest(layout.host_of(site))
        if manifest is None or manifest.get("key") != serving_cache.bake_key(site.pk):
            due.append(site.pk)  # never baked, withdrawn, or a change whose bake was lost
            continue
        until = parse_moment(manifest.get("valid_until"))
        if until is not None and until <= now:
            due.append(site.pk)
            expired.append(site.pk)
        elif until is not None and (earliest is None or until < earliest):
            earliest = until
    return due, expired, earliest


def follow(report=None, interval=FOLLOW_INTERVAL, once=False):
    """Loop forever: bake the sites that are due, sleep until the next is (or `interval`).
    While the database is down, the files stay as they are and the loop tries again."""
    while True:
        try:
            due, expired, earliest = due_sites()
            if expired:
                # What the clock changed (a mairie that closed, a banner that ended, midnight)
                # is in no file: out of service at once, Django answers until the bake.
                withdraw(expired)
            if due:
                results = bake_sites(due, report=report)
                if once:
                    return
                if any(result.swapped for result in results):
                    continue
                # Every bake overtaken: the versions move under it (the shared cache is
                # away and each read is a new token). Not in a tight loop.
                earliest = None
        except DatabaseError as error:
            logger.warning("baking: database unreachable (%s); files kept", error)
            connections.close_all()
            earliest = None
        if once:
            return
        pause = interval
        if earliest is not None:
            pause = min(interval, max(0.2, (earliest - timezone.now()).total_seconds() + 0.05))
        time.sleep(pause)
