"""The routes a bake remembers before rendering a site (serving.baking.preload): each
one exactly the page, and the share of the path, that Wagtail's own routing finds."""

from django.core.cache import cache as django_cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Site

from conftest import COMMUNE_A
from serving import cache as serving_cache
from serving.baking import layout
from serving.baking.preload import _passes_through, preload_routes
from serving.baking.render import Renderer, all_paths
from serving.cache import cached
from serving.pages import _find_page


def preloaded(site):
    with serving_cache.site_scope(site.pk):
        paths = all_paths(site, Renderer(layout.host_of(site)))
        routes = cached("routes", [], dict, shared=False)
        routes.clear()
        preload_routes(site, paths)
        return paths, dict(routes)


def found_by_wagtail(site, language, components):
    with translation.override(language):
        request = RequestFactory().get("/" + "/".join(components) + "/", HTTP_HOST=site.hostname)
        page, root = _find_page(request, site, list(components))
    return page.content_type_id, page.pk, page.depth - root.depth


def test_every_route_a_bake_preloads_is_the_one_wagtail_finds(communes, pays):
    collectivite = communes[COMMUNE_A]
    collectivite.refresh_from_db()
    sites = [
        Site.objects.get(hostname=collectivite.hostname),
        Site.objects.get(is_default_site=True),
    ]
    for site in sites:
        paths, routes = preloaded(site)
        assert routes, site
        for (site_id, language, components), remembered in routes.items():
            assert site_id == site.pk
            assert remembered == found_by_wagtail(site, language, components), components
    # On a commune's site, every page and feed is found without routing: the routable
    # indexes (news, agenda) pass their children on, and their feeds are their own routes.
    commune_paths = {path for path, page in preloaded(sites[0])[0].items() if page is not None}
    commune_routes = {
        "/" + "/".join(key[2]) + "/" if key[2] else "/" for key in preloaded(sites[0])[1]
    }
    assert commune_paths - {"/sitemap.xml"} <= commune_routes | {"/sitemap.xml"}
    assert {"/actualites/rss/", "/agenda/ical/", "/mairie/"} <= commune_routes


def test_a_routable_page_keeps_the_paths_its_own_routes_answer(communes):
    collectivite = communes[COMMUNE_A]
    collectivite.refresh_from_db()
    site = Site.objects.get(hostname=collectivite.hostname)
    paths, _routes = preloaded(site)
    agenda = paths["/agenda/"]
    assert not _passes_through(agenda, ["ical"])
    assert _passes_through(agenda, ["fete-du-village"])  # a child event's slug


def test_the_crumbs_and_language_versions_a_bake_preloads_are_those_a_page_view_builds(
    communes, pays
):
    from django.utils.translation import override

    from serving.languages import page_versions, preload_page_versions
    from themes.templatetags.themes_tags import breadcrumbs, preload_breadcrumbs

    collectivite = communes[COMMUNE_A]
    collectivite.refresh_from_db()
    for site in (
        Site.objects.get(hostname=collectivite.hostname),
        Site.objects.get(is_default_site=True),
    ):
        with serving_cache.site_scope(site.pk):
            paths = all_paths(site, Renderer(layout.host_of(site)))
            pages = {page.pk: page for page in paths.values() if page is not None}
            preload_breadcrumbs(site, paths)
            preload_page_versions(site, paths)
            languages = dict(Locale.objects.values_list("pk", "language_code"))
            preloaded = {}
            with CaptureQueriesContext(connection) as queries:  # all from the preloads
                for page in pages.values():
                    with override(languages[page.locale_id]):
                        preloaded[page.pk] = (
                            breadcrumbs(page),
                            page_versions(page.translation_key),
                        )
            page_queries = [q["sql"] for q in queries if 'FROM "wagtailcore_page"' in q["sql"]]
            assert page_queries == []
            serving_cache.forget_process_memory()
            django_cache.clear()
            for page in pages.values():
                with override(languages[page.locale_id]):
                    built = (breadcrumbs(page), page_versions(page.translation_key))
                assert preloaded[page.pk] == built, page.url_path
            assert any(crumbs["crumbs"] for crumbs, _versions in preloaded.values())
