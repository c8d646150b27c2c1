"""What the bench does inside Django, in its own process, on the same database and the same
cache as the servers it starts: count queries, publish, bake."""

import json
import os
import sys
import threading

from bench.serve_bench.processes import ROOT


def setup(env):
    """Django in this process, with the servers' settings (production)."""
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    defer_background_bakes()


def domain():
    from django.conf import settings

    return settings.PAYS_DOMAIN


def host(slug):
    return f"{slug}.{domain()}" if slug else domain()


def site(slug):
    from wagtail.models import Site

    return Site.objects.select_related("root_page").get(hostname=host(slug))


def page_at(slug, path):
    """The live page of this site at `path` ("/mairie/")."""
    from wagtail.models import Page

    root = site(slug).root_page
    return Page.objects.get(url_path=root.url_path + path.lstrip("/")).specific


def baked_file(slug, path="/"):
    """The file of `path` in the site's current generation, or None."""
    from serving.baking import layout

    link = layout.site_link(host(slug))
    try:
        manifest = json.loads((link / layout.MANIFEST).read_text(encoding="utf-8"))
        return link / manifest["pages"][path]["file"]
    except (OSError, ValueError, KeyError):
        return None


def generation(slug):
    from serving.baking import layout

    return layout.current_generation(host(slug))


def queries(client, path):
    """(status, SQL queries) of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    return status, len(captured)


def client(slug):
    from django.test import Client

    return Client(HTTP_HOST=host(slug))


def queries_per_view(pages):
    """{label: (status, queries)} of each page viewed again (warm), in this process."""
    counts = {}
    for label, slug, path in pages:
        browser = client(slug)
        browser.get(path)
        counts[label] = queries(browser, path)
    return counts


# --- Publishing and baking ------------------------------------------------------------------------
#
# A publish here does what it does in production at commit: the versions of the sites it
# touches are bumped in the shared cache (gunicorn learns of it) and their files withdrawn
# (nginx passes their pages to Django). Then production bakes those sites again in the
# background: a task of the worker, or a thread of the publishing process (the embedded
# default), one site after the other. A publish on a commune touches the portal too, whose
# bake takes minutes (thousands of pages): waiting behind it would make every figure here
# wait. So this process keeps the bakes pending (BAKING_BACKGROUND off, as the tests do) and
# bakes the site it measures at once, in a thread as the background baker does; what stays
# pending is baked at the end (bake_pending), or by `bake --all`.


def defer_background_bakes():
    from django.conf import settings

    settings.BAKING_BACKGROUND = False


def baked_hosts():
    from serving.baking import layout

    return set(layout.baked_hosts())


_changes = []


def _record(change):
    _changes.append(change)


def publish(revision_or_page, title=None):
    """Publish as an editor does: a new revision of `page` (with this title), or an existing
    revision again. Returns the hosts the change touched: their files were withdrawn at
    commit, and wait to be baked again."""
    from wagtail.models import Site

    from serving import cache

    cache.on_change(_record)  # once: a listener is added only if it is not there
    del _changes[:]
    if title is not None:
        revision_or_page.title = title
        revision_or_page.save_revision().publish()
    else:
        revision_or_page.publish()
    if any(change.pays for change in _changes):
        return {site.hostname.lower() for site in Site.objects.all()}
    ids = set().union(*(change.sites for change in _changes))
    return {h.lower() for h in Site.objects.filter(pk__in=ids).values_list("hostname", flat=True)}


def bake_site(slug):
    """Bake one site here and now (what the background baker does for it); the BakeResult."""
    from serving.baking.runner import bake_sites

    (result,) = bake_sites([site(slug).pk])
    return result


class BackgroundBake(threading.Thread):
    """bake_site(slug) in a thread of this process, as the embedded default's baker; the
    BakeResult (or the error) once joined."""

    def __init__(self, slug):
        super().__init__(name=f"bake {slug}", daemon=True)
        self.slug, self.result, self.error = slug, None, None
        self.site_id = site(slug).pk
        self.start()

    def run(self):
        from django.db import connections

        from serving.baking.runner import bake_sites

        try:
            (self.result,) = bake_sites([self.site_id])
        except Exception as error:
            self.error = repr(error)
        finally:
            connections.close_all()


def bake_pending():
    """Bake what the bench's publishes left pending (serving.baking.schedule.run_pending)."""
    from serving.baking.schedule import run_pending

    return run_pending()


def latest_published_page(slug):
    """The page of this site (not its home: that is the structure) published last, with no
    unpublished changes: publishing its latest revision again changes nothing a visitor sees."""
    from wagtail.models import Page

    root = site(slug).root_page
    pages = Page.objects.live().descendant_of(root).filter(has_unpublished_changes=False)
    page = pages.exclude(latest_revision=None).order_by("-last_published_at").first()
    if page is None:
        raise RuntimeError(f"no published page on {host(slug)}")
    return page.specific


def first_request_after_publish(slug="bergerac", other="lalinde", path="/"):
    """Queries of the first request on `slug` after a publish on `other` (same process, same
    cache). The other site is baked again afterwards."""
    browser = client(slug)
    browser.get(path)
    warm = queries(browser, path)
    page = latest_published_page(other)
    withdrawn = publish(page.latest_revision)
    first = queries(browser, path)
    other_first = queries(client(other), "/")
    bake = bake_site(other) if host(other) in withdrawn else None
    root_path = site(other).root_page.url_path
    return {
        "warm": warm,
        "first": first,
        "page": f"{host(other)}/{page.url_path[len(root_path) :]}",
        "other_first": other_first,
        "withdrawn": withdrawn,
        "bake": bake,
    }
