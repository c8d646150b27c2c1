"""Links between sites follow the port Bastide is served on, without provisioning again."""

import pytest
from wagtail.models import Site

from conftest import COMMUNE_A, host_client
from serving.cache import bump_content_version
from serving.siteurls import root_url

pytestmark = pytest.mark.django_db


def test_root_url_follows_the_served_port(settings):
    settings.SITE_PORT = 80
    assert root_url("pays.test") == "http://pays.test"
    settings.SITE_PORT = 443
    assert root_url("pays.test") == "https://pays.test"
    settings.SITE_PORT = 8123
    assert root_url("pays.test") == "http://pays.test:8123"


def test_pages_link_to_other_sites_on_the_served_port(settings, communes):
    commune = communes[COMMUNE_A]
    assert Site.objects.get(pk=commune.site_id).port == 80  # as provisioned
    settings.SITE_PORT = 8123
    bump_content_version()  # a new process would start with nothing memoised
    html = host_client(commune.hostname).get("/").content.decode()
    assert f'href="http://{commune.hostname}:8123/"' in html  # its alternates
    assert f"http://{commune.hostname}/" not in html
    assert Site.objects.get(pk=commune.site_id).root_url.endswith(":8123")
    assert commune.url == f"http://{commune.hostname}:8123/"


def test_site_root_paths_are_wagtails_in_one_query(communes, django_assert_max_num_queries):
    from django.core.cache import cache
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

    from serving.siteurls import every_site_root_path, wagtail_site_root_paths

    def fresh(build):
        cache.delete(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
        return build()

    from serving import pages

    wagtails = fresh(wagtail_site_root_paths)
    assert len(wagtails) > len(communes)  # the portal, the communes, their translations
    with django_assert_max_num_queries(1):
        ours = fresh(every_site_root_path)
    assert ours == wagtails
    # Installed: Wagtail gets this process' lookups, which give the same list to whatever
    # iterates over it.
    assert Site.get_site_root_paths() is pages.site_root_paths()
    assert list(fresh(Site.get_site_root_paths)) == wagtails


def test_in_development_links_follow_the_port_of_the_request(settings, communes):
    """`manage.py runserver 8123` without SITE_PORT: the dev settings add the middleware."""
    settings.MIDDLEWARE = ["serving.siteurls.RequestPortMiddleware", *settings.MIDDLEWARE]
    commune = communes[COMMUNE_A]
    bump_content_version()
    client = host_client(f"{commune.hostname}:8123")
    html = client.get("/", SERVER_PORT="8123").content.decode()
    assert f'href="http://{commune.hostname}:8123/"' in html
    assert root_url("pays.test") == "http://pays.test"  # outside a request: SITE_PORT


def test_root_paths_of_a_page_are_found_by_its_ancestors_as_wagtail_scans_them():
    """RootPaths.for_url_path answers what Wagtail's scan of every root path answers, in the
    same order, for sites nested in others (the communes under the portal), a root at "/",
    translated roots, and pages of no site."""
    from wagtail.models.sites import SiteRootPath

    from serving.siteurls import RootPaths

    roots = [
        (1, "/"),
        (2, "/pays/"),
        (3, "/pays/communes/bergerac/"),
        (4, "/pays/communes/lalinde/"),
        (5, "/pays-en/communes/bergerac/"),
        (6, "/pays/communes/bergerac/"),  # a second site on the same root
        *((100 + n, f"/pays/communes/commune-{n}/") for n in range(500)),
    ]
    paths = [
        SiteRootPath(site_id, root, f"http://site-{site_id}.test", "fr")
        for site_id, root in sorted(roots, key=lambda r: r[1], reverse=True)
    ]
    lookup = RootPaths(paths)
    for url_path in [
        "/",
        "/pays/",
        "/pays/communes/",
        "/pays/communes/bergerac/",
        "/pays/communes/bergerac/actualites/fete/",
        "/pays/communes/bergeracois/",
        "/pays/communes/commune-42/mairie/",
        "/pays-en/communes/bergerac/mairie/",
        "/ailleurs/page/",
    ]:
        scanned = tuple(p for p in paths if url_path.startswith(p.root_path))
        assert lookup.for_url_path(url_path) == scanned, url_path
    assert lookup.site_count == len(roots)

    # And without comparing the page's path with each of the 500 communes' roots, as the
    # scan does (and as a lookup by first segment did: they all share "/pays/").
    class Counted(str):
        compared = 0

        def startswith(self, *args, **kwargs):
            Counted.compared += 1
            return super().startswith(*args, **kwargs)

    assert lookup.for_url_path(Counted("/pays/communes/commune-42/mairie/"))
    assert Counted.compared == 0
