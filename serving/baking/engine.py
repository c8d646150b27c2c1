"""Bake a site: render every public URL to files in a new generation, then swap it in.

A generation is written under a pending name, then, under the host's lock, renamed and
pointed to by the site's symlink, unless the site's bake key changed meanwhile (a change was
committed while rendering: what was rendered may predate it, and a newer bake is queued).
"""

import datetime
import gzip
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field

import brotli
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from serving import cache as serving_cache
from serving import cdn, clock, replica
from serving.baking import layout, preloads
from serving.baking.preload import preload_pages, preload_routes
from serving.baking.render import (
    HEADERS_KEPT,
    OPTIONAL_PATHS,
    Renderer,
    all_paths,
    common_headers,
    file_for,
)
from serving.languages import preload_page_versions

# Quality 5 of 11: 0.5 % larger than 9 on the demo's HTML, 20 times faster (1 ms a page;
# docs/serving.md#baked-pages).
BROTLI_QUALITY = 5


@dataclass
class BakeResult:
    host: str
    pages: int = 0
    skipped: dict = field(default_factory=dict)
    seconds: float = 0.0
    generation: str | None = None
    swapped: bool = False
    valid_until: datetime.datetime | None = None

    def summary(self):
        state = "publié" if self.swapped else "abandonné (contenu changé)"
        return (
            f"{self.host}: {self.pages} pages, {len(self.skipped)} ignorées, "
            f"{self.seconds:.2f} s, {state}"
        )


def new_generation_name():
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


def write_variants(target, body):
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    with (
        open(f"{target}.gz", "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(body)
    with open(f"{target}.br", "wb") as out:
        out.write(brotli.compress(body, quality=BROTLI_QUALITY))


def render_site(site, directory):
    """Render every URL of `site` into `directory`; the manifest's content (without key)."""
    host = layout.host_of(site)
    renderer = Renderer(host)
    pages, skipped, headers_seen = {}, {}, []
    # The primary, though the pages are rendered as an anonymous visitor's: a bake follows a
    # change at once, before a replica may have it, and its files are kept until the next.
    with (
        serving_cache.site_scope(site.pk),
        clock.collect() as horizon,
        replica.primary_reads(),
    ):
        paths = all_paths(site, renderer)
        by_type = {}
        for page in paths.values():
            if page is not None:
                by_type.setdefault(page.content_type_id, set()).add(page.pk)
        preload_pages(by_type)
        preload_routes(site, paths)
        preload_page_versions(site, paths)
        for preload in preloads():
            preload(site, paths)
        for path, page in paths.items():
            response, why = renderer.render(path)
            if response is None:
                if page is not None or path not in OPTIONAL_PATHS:
                    skipped[path] = why
                continue
            name = file_for(path, response)
            if name is None:
                with translation.override("fr"):
                    skipped[path] = _("adresse sans fichier possible")
                continue
            write_variants(directory / name, response.content)
            headers = dict(response.items())
            headers_seen.append(headers)
            pages[path] = {
                "file": name,
                "type": response.get("Content-Type", "text/html; charset=utf-8"),
                "language": response.get("Content-Language", ""),
                "_headers": headers,
            }
    common = common_headers(headers_seen)
    for entry in pages.values():
        own = entry.pop("_headers")
        extra = {name: own[name] for name in HEADERS_KEPT if name in own and name not in common}
        if extra:
            entry["headers"] = extra
    until = horizon.until
    midnight = clock.next_midnight()
    valid_until = midnight if until is None else min(until, midnight)
    return {"headers": common, "pages": pages, "skipped": skipped}, valid_until


def bake_site(site):
    """Bake one site; the BakeResult says whether its new generation was swapped in."""
    started = time.monotonic()
    host = layout.host_of(site)
    if not layout.HOST_RE.match(host):
        raise ValueError(f"hostname not bakeable: {host!r}")
    key = serving_cache.bake_key(site.pk)
    generation = new_generation_name()
    generations = layout.generations_dir(host)
    pending = generations / f"{layout.PENDING_PREFIX}{generation}"
    pending.mkdir(parents=True)
    result = BakeResult(host=host, generation=generation)
    try:
        content, valid_until = render_site(site, pending)
        manifest = {
            "site_id": site.pk,
            "hostname": host,
            "key": key,
            "baked_at": timezone.now().isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
            **content,
        }
        manifest["headers"] = {**manifest["headers"], **cdn.cache_headers()}
        (pending / layout.MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        result.pages = len(content["pages"])
        result.skipped = content["skipped"]
        result.valid_until = valid_until
        with layout.host_lock(host):
            if serving_cache.bake_key(site.pk) == key:
                os.rename(pending, generations / generation)
                layout.swap(host, generation)
                result.swapped = True
        if result.swapped:
            cdn.purge([host])
    finally:
        if not result.swapped:
            shutil.rmtree(pending, ignore_errors=True)
        result.seconds = time.monotonic() - started
    return result


def withdraw(site_ids=None):
    """Remove the baked files of these sites (all when None) from service: Django serves
    them until their next bake. Returns the hosts withdrawn."""
    from wagtail.models import Site

    if site_ids is None:
        hosts = set(layout.baked_hosts())
    else:
        hosts = {
            h.lower()
            for h in Site.objects.filter(pk__in=site_ids).values_list("hostname", flat=True)
        }
    for host in sorted(hosts):
        if not layout.HOST_RE.match(host):
            continue
        with layout.host_lock(host):
            layout.withdraw_host(host)
    cdn.purge(hosts)
    return hosts
