"""Each host's sitemap lists that host's pages only (serving/sitemaps.py)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, host_client
from serving.sitemaps import other_sites_below


def locations(client):
    return re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())


def test_the_portals_sitemap_lists_its_own_pages_and_no_communes(communes, portal_client):
    pays = Collectivite.objects.get(kind=Collectivite.Kind.PAYS)
    urls = locations(portal_client)
    assert urls, "the portal's sitemap is empty"
    portal_host = f"//{pays.hostname}"
    assert all(portal_host + "/" in url or url.endswith(portal_host) for url in urls), urls
    for code in (COMMUNE_A, COMMUNE_B):
        assert not any(communes[code].hostname in url for url in urls)
    # The portal's « communes » page (the finder) is the portal's: it stays.
    finder = Page.objects.get(url_path=pays.site.root_page.url_path + "communes/")
    assert any(url.endswith("/communes/") for url in urls)
    assert finder.numchild >= len(communes)


def test_a_communes_sitemap_lists_its_pages(communes):
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    urls = locations(host_client(a.hostname))
    assert f"http://{a.hostname}/" in urls
    assert f"http://{a.hostname}/mairie/" in urls
    assert not any(b.hostname in url for url in urls)


def test_nested_sites_are_left_out_by_parent_not_one_by_one(communes):
    """The condition has one term per parent of nested sites, whatever their number; a page
    of the portal's own beside them keeps its subtree."""
    portal = Site.objects.get(is_default_site=True).root_page
    finder = Page.objects.get(url_path=portal.url_path + "communes/")
    own = finder.add_child(instance=Page(title="Carte des communes", slug="carte"))
    below_own = own.add_child(instance=Page(title="Légende", slug="legende"))
    for n in range(3):  # more sites than the terms of the condition
        home = finder.add_child(instance=Page(title=f"Commune {n}", slug=f"commune-{n}"))
        Site.objects.create(hostname=f"commune-{n}.pays.test", root_page=home)

    with CaptureQueriesContext(connection) as queries:
        condition = other_sites_below(portal)
    assert len(queries) == 2
    # One term for the parent of the six sites, one for the page of the portal's beside them.
    assert str(condition).count("path__startswith") == 2

    pages = Page.objects.descendant_of(portal, inclusive=True)
    kept = set(pages.exclude(condition).values_list("pk", flat=True))
    left_out = set(pages.filter(condition).values_list("pk", flat=True))
    assert {portal.pk, finder.pk, own.pk, below_own.pk} <= kept
    for collectivite in communes.values():
        home = collectivite.site.root_page
        assert home.pk in left_out
        assert set(home.get_descendants().values_list("pk", flat=True)) <= left_out


def test_a_site_with_no_nested_site_leaves_nothing_out(communes):
    home = communes[COMMUNE_A].site.root_page
    pages = Page.objects.descendant_of(home, inclusive=True)
    assert pages.filter(other_sites_below(home)).count() == 0
