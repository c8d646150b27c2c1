"""A page is never stale: publish a new title for a page and poll it through the front.

The publish runs in this process, as an editor's would in a gunicorn worker: at commit the
site's files are withdrawn (nginx passes its pages to Django, which learns of the change
through the shared cache) and the site is baked again in a thread (django_side: what the
background baker does). The bench polls the page every POLL seconds and notes when the new
title shows, whether the old one shows after it, and when the new files serve it.
"""

import html
import time
from dataclasses import dataclass, field

from bench.serve_bench import django_side
from bench.serve_bench.load import get

POLL = 0.05


@dataclass
class Freshness:
    path: str
    publish_ms: float = 0.0  # the publish call (the revision, its commit, the withdrawal)
    new_seen_ms: float | None = None  # the new title first seen through the front
    files_back_ms: float | None = None  # a new generation swapped in
    fresh_from_files_ms: float | None = None  # the new title served from the new files
    bake: object = None  # the site's BakeResult
    old_before: int = 0  # polls that got the old title before the new one showed
    old_after: int = 0  # polls that got the old title after the new one showed: stale
    withdrawn: set = field(default_factory=set)
    errors: list = field(default_factory=list)
    polls: int = 0

    def met(self):
        return (
            self.new_seen_ms is not None
            and self.bake is not None
            and self.new_seen_ms <= self.bake.seconds * 1000
            and self.old_after == 0
            and not self.errors
        )


def poll(front_port, slug, path, timeout=120):
    """Publish a new title for the page at `path` of `slug`, poll it; restore the title."""
    host = django_side.host(slug)
    page = django_side.page_at(slug, path)
    old_title = page.title
    result = Freshness(path=path)
    before = get(front_port, host, path)
    shown = {old_title.encode(), html.escape(old_title).encode()}
    if before.status != 200 or not any(title in before.body for title in shown):
        result.errors.append(f"before the publish: HTTP {before.status}, old title not shown")
        return result
    marker = f"banc {time.strftime('%H%M%S')}"
    generation_before = django_side.generation(slug)
    try:
        started = time.monotonic()
        result.withdrawn = django_side.publish(page, title=f"{old_title} ({marker})")
        result.publish_ms = (time.monotonic() - started) * 1000
        bake = django_side.BackgroundBake(slug)
        while time.monotonic() < started + timeout:
            response = get(front_port, host, path)
            elapsed = (time.monotonic() - started) * 1000
            result.polls += 1
            fresh = marker.encode() in response.body
            if response.status != 200:
                result.errors.append(f"HTTP {response.status} at {elapsed:.0f} ms")
            elif fresh and result.new_seen_ms is None:
                result.new_seen_ms = elapsed
            elif not fresh:
                if result.new_seen_ms is None:
                    result.old_before += 1
                else:
                    result.old_after += 1
            if result.files_back_ms is not None and fresh:
                result.fresh_from_files_ms = elapsed  # the first poll after the swap
                break
            current = django_side.generation(slug)
            if current and current != generation_before:
                result.files_back_ms = elapsed
            time.sleep(POLL)
        bake.join(timeout=max(1.0, started + timeout - time.monotonic()))
        result.bake = bake.result
        if bake.error:
            result.errors.append(f"bake: {bake.error}")
    finally:
        page = django_side.page_at(slug, path)
        if django_side.host(slug) in django_side.publish(page, title=old_title):
            django_side.bake_site(slug)
    return result
