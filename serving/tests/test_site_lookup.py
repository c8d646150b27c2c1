"""Sites are looked up one hostname, one id, one page's ancestors at a time: a worker holds
the sites it serves, never a list of every site of the install (35,000 for France), and a
new worker serves without reading them all first."""

import traceback

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

from conftest import COMMUNE_A, clear_caches, host_client
from serving import pages as serving_pages
from serving import siteurls
from serving.siteurls import SiteRoots, wagtail_site_root_paths

pytestmark = pytest.mark.django_db

OTHERS = 300


@pytest.fixture
def many_sites(communes, pays):
    """300 more sites on the communes' and the portal's home pages, added as rows (as
    another process would: no signal here), then every memo forgotten, as in a new worker."""
    roots = [pays.home_page_id, *(c.home_page_id for c in communes.values())]
    Site.objects.bulk_create(
        Site(hostname=f"autre-{n}.pays.test", port=80, root_page_id=roots[n % len(roots)])
        for n in range(OTHERS)
    )
    clear_caches()
    return Site.objects.count()


def wagtails_root_paths():
    """Wagtail's own list, made by Wagtail's code (one query per site)."""
    cache.delete(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    paths = wagtail_site_root_paths()
    cache.delete(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    return paths


def wagtails_scan(page, paths):
    """What Wagtail answers: every root path, each compared with the page's url_path."""
    return tuple(path for path in paths if page.url_path.startswith(path.root_path))


def test_a_pages_sites_are_found_from_its_ancestors_as_wagtail_scans_them(many_sites, communes):
    english, _ = Locale.objects.get_or_create(language_code="en")
    home = Page.objects.get(pk=communes[COMMUNE_A].home_page_id)
    mairie = home.get_children().first()
    # Its translation, with its parents: the portal's and the commune's home pages in English.
    mairie.copy_for_translation(english, copy_parents=True)
    pages = list(Page.objects.order_by("path"))
    assert any(page.locale.language_code != "fr" for page in pages)  # translated roots too
    roots = SiteRoots()
    everything = wagtails_root_paths()
    for page in pages:
        assert roots.for_page(page) == wagtails_scan(page, everything), page.url_path
    # Sites that share a root page come in Wagtail's order (default first, then hostname).
    home = Page.objects.get(pk=Site.objects.get(hostname="autre-1.pays.test").root_page_id)
    assert len({path.site_id for path in roots.for_page(home)}) > OTHERS // 5
    assert roots._all is None  # never the whole list
    assert list(roots) == everything  # what Wagtail's own code gets when it iterates


def test_a_page_met_once_costs_no_query_and_a_new_one_reads_its_own_path_only(many_sites):
    commune_home = Page.objects.get(pk=Site.objects.get(hostname="autre-1.pays.test").root_page_id)
    child = commune_home.get_children().first()
    everything = wagtails_root_paths()
    roots = SiteRoots()
    with CaptureQueriesContext(connection) as first:
        roots.for_page(commune_home)
    assert len(first) == 1
    with CaptureQueriesContext(connection) as again:
        roots.for_page(commune_home)
    assert len(again) == 0
    with CaptureQueriesContext(connection) as below:
        assert roots.for_page(child) == wagtails_scan(child, everything)
    assert len(below) == 1
    assert f"'{child.path}'" in below[0]["sql"]  # its own path only: the others are known
    assert f"'{commune_home.path}'" not in below[0]["sql"]


def callers():
    """Bastide's own frames of the current stack."""
    here = str(settings.BASE_DIR)
    return [
        f"{frame.filename[len(here) + 1 :]}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_stack()
        if frame.filename.startswith(here) and "/.venv/" not in frame.filename
    ]


def test_a_page_view_reads_its_own_site_not_every_site(many_sites, communes, pays, monkeypatch):
    commune = communes[COMMUNE_A]
    # Whatever way the whole list is read (from the database or the shared cache), it is
    # wrapped in a RootPaths.
    read_everything = []
    wrap = siteurls.RootPaths.__init__
    monkeypatch.setattr(
        siteurls.RootPaths,
        "__init__",
        lambda self, paths: read_everything.append(callers()) or wrap(self, paths),
    )
    with CaptureQueriesContext(connection) as queries:
        for path in ("/", "/mairie/", "/actualites/", "/en/"):
            assert host_client(commune.hostname).get(path).status_code == 200, path
        assert host_client(pays.hostname).get("/").status_code == 200
    assert read_everything == [], "\n".join(read_everything[0])
    site_table = Site._meta.db_table
    reads = [q["sql"] for q in queries if f'FROM "{site_table}"' in q["sql"]]
    # Each by hostname or id, or whether there is more than one (two rows, unsorted).
    whole = [sql for sql in reads if "WHERE" not in sql and not sql.endswith('" LIMIT 2')]
    assert reads and whole == []
    held = serving_pages._sites()["by_id"]
    # The two sites served, and those Wagtail names first for a page of theirs: here, one of
    # the others on the same home page (their hostnames sort first).
    assert {commune.site_id, pays.site_id} <= set(held)
    assert len(held) <= 4, f"{len(held)} of {many_sites} held"


def test_a_worker_holds_at_most_sites_max_sites(many_sites, monkeypatch):
    monkeypatch.setattr(serving_pages, "SITES_MAX", 50)
    for n in range(120):
        assert host_client(f"autre-{n}.pays.test").get("/robots.txt").status_code != 400
    held = serving_pages._sites()
    assert 0 < len(held["by_id"]) <= 50
    assert len(held["by_host"]) <= 50


def test_a_hostname_provisioned_by_another_process_is_answered_within_seconds(
    communes, monkeypatch
):
    client = host_client("nouvelle.pays.test")
    assert client.get("/").status_code == 400
    # Another process adds the site; this one has not seen the structure's version move
    # (a shared cache would have told it at once: here it is not told at all).
    Site.objects.bulk_create(
        [
            Site(
                hostname="nouvelle.pays.test",
                port=80,
                root_page_id=communes[COMMUNE_A].home_page_id,
            )
        ]
    )
    assert client.get("/").status_code == 400  # its "no such site" is remembered…
    later = serving_pages.time.monotonic() + serving_pages.NO_SITE_SECONDS + 1
    monkeypatch.setattr(serving_pages.time, "monotonic", lambda: later)
    assert client.get("/").status_code == 200  # …for NO_SITE_SECONDS only


def test_the_sites_of_a_menus_pages_are_read_in_one_query(many_sites, communes):
    home = Page.objects.get(pk=communes[COMMUNE_A].home_page_id)
    menu = list(home.get_descendants(inclusive=True))
    everything = wagtails_root_paths()
    roots = SiteRoots()
    with CaptureQueriesContext(connection) as read:
        roots.prefetch(menu)
    assert len(read) == 1 and len(menu) > 10
    with CaptureQueriesContext(connection) as after:
        for page in menu:
            assert roots.for_page(page) == wagtails_scan(page, everything), page.url_path
    assert len(after) == 0


def test_a_full_memo_starts_again_without_losing_a_pages_answer(many_sites, monkeypatch):
    monkeypatch.setattr(siteurls, "ROOTS_MEMO_MAX", 6)
    everything = wagtails_root_paths()
    roots = SiteRoots()
    pages = list(Page.objects.order_by("-path")[:40])  # deep pages first: the memo fills
    for page in pages:
        assert roots.for_page(page) == wagtails_scan(page, everything), page.url_path
        assert len(roots._roots) <= 6
