"""What a bake of a site loads in bulk before rendering its pages, into the memories a page
view reads (serving.pages): the pages, and the route of each URL. The engine calls these;
apps add their own with `serving.baking.register_preload` (breadcrumbs, in themes)."""

from collections import OrderedDict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from serving.cache import cached
from serving.languages import locale_codes
from serving.pages import PAGES_MAX, ROUTES_MAX, remember_page, served_pages


def preload_pages(page_ids_by_type):
    """{content type id: page ids} loaded into this process' memory of pages in one query
    per type (and one per inline relation), not one round of queries per page: a bake
    renders every page of a site in a row."""
    pages = cached("pages", [], OrderedDict, shared=False)
    for content_type_id, page_ids in page_ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        missing = [pk for pk in page_ids if pk not in pages]
        if model is None or not missing:
            continue
        for start in range(0, len(missing), PAGES_MAX // 2):
            for page in served_pages(model, missing[start : start + PAGES_MAX // 2]):
                remember_page(pages, page)


def _answers_itself(page, components):
    """Whether a live routable page has a route of its own for these path components."""
    resolve = getattr(page, "resolve_subpage", None)
    if resolve is None or not page.live:
        return False
    try:
        resolve("/" + "/".join(components) + "/")
    except Http404:
        return False
    return True


def _passes_through(page, components):
    """Whether Wagtail's routing, arrived at `page` with `components` left, goes on to the
    child page they name (Page.route), rather than answering from a route of its own."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page

    walk = type(page).route
    if walk is Page.route:
        return True
    if walk is not RoutablePageMixin.route:
        return False  # a route of another kind: left to `_route`
    return not _answers_itself(page, components)


def _own_route(page, components, chain):
    """Whether `components` lead from the root (chain[0]) to `page` itself, or to one of its
    own routes when it has some beyond its path."""
    depth = len(chain)
    if not all(_passes_through(a, components[i:]) for i, a in enumerate(chain)):
        return False
    rest = components[depth:]
    return not rest or _answers_itself(page, rest)


def preload_routes(site, paths):
    """Remember the route of each of `site`'s URL paths ({path: its live specific page, in any
    locale}) as `_route` would find it, without its queries (a locale, the localized root,
    two per path segment): a bake renders every page of a site in a row. Each ancestor on
    the way is asked, as Wagtail's routing would, whether it passes the rest on to its
    child; a path that is not a page's own URL or one of its routes is left to `_route`."""
    from wagtail.models import Page

    from serving.pages import remember_root_page

    languages = locale_codes()
    by_path = {page.path: page for page in paths.values() if page is not None}
    steplen, root_depth = Page.steplen, site.root_page.depth
    remember_root_page(site)
    routes = cached("routes", [], dict, shared=False)
    for url, page in paths.items():
        if page is None or page.depth < root_depth or len(routes) >= ROUTES_MAX:
            continue
        chain = [by_path.get(page.path[: d * steplen]) for d in range(root_depth, page.depth)]
        if any(ancestor is None for ancestor in chain):
            continue
        root = chain[0] if chain else page
        if root.translation_key != site.root_page.translation_key:
            continue
        language = languages[page.locale_id]
        own = page.url_path[len(root.url_path) - 1 :]
        if language != settings.LANGUAGE_CODE:
            own = f"/{language}{own}"
        if not url.startswith(own):
            continue
        mine = [part for part in page.url_path[len(root.url_path) :].split("/") if part]
        components = (*mine, *(part for part in url[len(own) :].split("/") if part))
        if _own_route(page, components, chain):
            key = (site.pk, language, components)
            routes.setdefault(key, (page.content_type_id, page.pk, page.depth - root.depth))
