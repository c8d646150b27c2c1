"""Serving a page without asking the database what it answered a moment ago.

Wagtail finds the site, walks the tree one query per URL segment, loads the page twice
(generic, then specific) and looks up view restrictions, on every request. The answers
only change when content changes, so they are kept under the content version
(`serving.cache`): the sites, which page a path leads to, which sections are private. A page
view then loads its page in one query and goes through Wagtail's own serve view, hooks,
privacy checks and rendering unchanged.
"""

import contextlib
import copy
import time
from collections import OrderedDict

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from serving.cache import STRUCTURE, cached
from serving.clock import changes_at
from serving.siteurls import SiteRoots

# Only paths that led to a page are remembered, and at most this many per process; the
# pages themselves, the most recently served ones.
ROUTES_MAX = 20_000
PAGES_MAX = 1_000


# Sites are looked up one hostname (or id) at a time and kept in this process under the
# structure's version, at most this many: a worker of a France-wide install holds the sites
# it serves, not 35,000. An unknown hostname is asked again after NO_SITE_SECONDS, so that a
# site provisioned by another process is served without a shared cache (the demo's).
SITES_MAX = 2_000
NO_SITE_SECONDS = 30.0


def _sites():
    """This process' sites, filled as requests meet them: {"by_id", "by_host", "default"}.
    One Site object per site, whichever way it was found, so that the root page read for it
    once (`remember_root_page`, or a request's first need) serves every later lookup."""
    return cached(
        "sites",
        [],
        lambda: {"by_id": {}, "by_host": {}, "default": _MISSING},
        shared=False,
        scope=STRUCTURE,
    )


_MISSING = object()


def _keep(sites, found):
    """The process' own Site object for each of `found` (rows just read)."""
    by_id = sites["by_id"]
    if len(by_id) >= SITES_MAX:
        by_id.clear()
        sites["by_host"].clear()
    return [by_id.setdefault(site.pk, site) for site in found]


def sites_on_host(hostname):
    """The Sites on this hostname (compared in lowercase, as Wagtail stores them), one query
    the first time this process meets it."""
    hostname = hostname.lower()
    sites = _sites()
    by_host = sites["by_host"]
    known = by_host.get(hostname)
    if known is not None and (known[0] or time.monotonic() < known[1]):
        return known[0]
    matches = tuple(_keep(sites, Site.objects.filter(hostname=hostname).order_by("port", "pk")))
    by_host[hostname] = (matches, time.monotonic() + NO_SITE_SECONDS)
    return matches


def site_root_paths():
    """Wagtail's site root paths, found for each page from its ancestors (serving.siteurls),
    kept in this process under the structure's version."""
    return cached("site-roots", [], SiteRoots, shared=False, scope=STRUCTURE)


def site_by_id(site_id):
    sites = _sites()
    site = sites["by_id"].get(site_id)
    if site is None and site_id is not None:
        found = _keep(sites, Site.objects.filter(pk=site_id))
        site = found[0] if found else None
    return site


def remember_root_page(site):
    """Give this process' Site of `site` the root page `site` holds already: a bake, which
    has read it, then renders every page of the site without reading it again."""
    served = site_by_id(site.pk)
    if served is not None and served is not site and "root_page" in site._state.fields_cache:
        served.root_page = site.root_page


def default_site():
    sites = _sites()
    if sites["default"] is _MISSING:
        found = _keep(sites, Site.objects.filter(is_default_site=True))
        sites["default"] = found[0] if found else None
    return sites["default"]


def site_for_hostname(hostname, port):
    """What wagtail.models.sites.get_site_for_hostname answers, from memory."""
    matches = sites_on_host(hostname)
    default = default_site()
    for site in matches:
        if site.port == port:
            return site
    if default is not None and default in matches:
        return default
    if len(matches) == 1:
        return matches[0]
    return default


def site_for_request(request):
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        request._wagtail_site = site_for_hostname(hostname, request.get_port())
    return request._wagtail_site


def site_for_page(page):
    """page.get_site() without its query (the site root paths are cached by Wagtail)."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    return site_by_id(parts[0])


def site_of(page):
    """page.get_site(), once per page object: header, title and footer all ask for it."""
    if not hasattr(page, "get_site"):  # error pages render without a page
        return None
    if not hasattr(page, "_bastide_site"):
        page._bastide_site = site_for_page(page)
    return page._bastide_site


def restricted_paths():
    """Tree paths of the pages that carry a view restriction (private sections)."""
    return cached(
        "restricted-paths",
        [],
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
    )


class CachedPrivacyQuerySet(PageQuerySet):
    def private_q(self):
        q = Q()
        for path in restricted_paths():
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])


CachedPrivacyPageManager = Page.objects.__class__.from_queryset(CachedPrivacyQuerySet)


class CachedServingMixin(models.Model):
    """For page models: privacy checks answered from the cached private sections."""

    objects = CachedPrivacyPageManager()

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        # Wagtail unpublishes an expired page (publish_scheduled, every minute), which tells
        # whoever keeps its rendering; the moment is noted too, so a kept copy is checked then.
        if self.expire_at is not None and self.expire_at > timezone.now():
            changes_at(self.expire_at, "expiration de la page")
        return super().get_context(request, *args, **kwargs)

    def get_view_restrictions(self):
        if self.alias_of_id is None and not any(
            self.path.startswith(path) for path in restricted_paths()
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class CachedPage(CachedServingMixin, Page):
    """The base of every page type: served from memory, private sections included.

    A page type with mixins of its own lists them first (`RoutablePageMixin, …,
    CachedPage`), so that they come before Page in the method order, as Wagtail asks.
    `serving.checks` refuses a page type that is not built on it.
    """

    class Meta:
        abstract = True


def _media_fields(model):
    """Foreign keys to images and documents: loaded with the page, so rendering costs none."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    media = (get_image_model(), get_document_model())
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one and field.related_model in media
    ]


def _child_relations(model):
    """Inline rows (hours, officials, form fields…), with their own images and documents."""
    from modelcluster.models import get_all_child_relations

    lookups = []
    own = {relation.name for relation in get_all_child_relations(Page)}  # admin comments
    for relation in get_all_child_relations(model):
        if relation.name in own:
            continue
        name = relation.get_accessor_name()
        lookups.append(name)
        lookups += [f"{name}__{field}" for field in _media_fields(relation.related_model)]
    return lookups


def served_pages(model, page_ids):
    """The specific pages of one type as served: with their media and inline rows."""
    return (
        model.objects.select_related(*_media_fields(model))
        .prefetch_related(*_child_relations(model))
        .filter(pk__in=page_ids)
    )


def remember_page(pages, page):
    pages[page.pk] = page
    while len(pages) > PAGES_MAX:
        try:
            pages.popitem(last=False)
        except KeyError:
            break


def _load_page(content_type_id, page_id):
    """The specific page, from this process' memory when it was served before."""
    pages = cached("pages", [], OrderedDict, shared=False)
    page = pages.get(page_id)
    if page is not None:
        # Evicted meanwhile by another thread: it is still ours to serve.
        with contextlib.suppress(KeyError):
            pages.move_to_end(page_id)
    else:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            return None
        page = served_pages(model, [page_id]).first()
        if page is None:
            return None
        remember_page(pages, page)
    # Each request renders its own copy: whatever the view caches on the page (its status,
    # its site) stays with that request.
    page = copy.copy(page)
    page._wagtail_cached_site_root_paths = site_root_paths()
    return page


def _find_page(request, site, components):
    """The page a path leads to in the request's language, else the French page at the same
    path: /en/<French path> of a page not translated yet serves the French page, which its
    template announces as such, rather than a 404."""
    root = site.root_page.localized.specific
    try:
        return root.route(request, components)[0], root
    except Http404:
        if root.pk == site.root_page_id:
            raise
    root = site.root_page.specific
    return root.route(request, components)[0], root


def _route(request, site, path):
    """Wagtail's route for this path, with the page found from memory when it was before."""
    components = [component for component in path.split("/") if component]
    key = (site.pk, get_language(), tuple(components))
    routes = cached("routes", [], dict, shared=False)
    remembered = routes.get(key)
    if remembered is None:
        page, root = _find_page(request, site, components)
        remembered = (page.content_type_id, page.pk, page.depth - root.depth)
        if len(routes) < ROUTES_MAX:
            routes[key] = remembered
    content_type_id, page_id, consumed = remembered
    page = _load_page(content_type_id, page_id)
    if page is None:
        raise Http404
    return page.route(request, components[consumed:])


def serve(request, path):
    """Wagtail's serve view, with the site and the route found from memory."""
    site = site_for_request(request)
    request._wagtail_cached_site_root_paths = site_root_paths()
    if site is not None and not hasattr(request, "_wagtail_route_for_request"):
        try:
            request._wagtail_route_for_request = _route(request, site, path)
        except Http404:
            request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)


def home_page(request):
    """The home page of the request's site in the current language, from memory: the frame
    of the views that are not pages (search results)."""
    site = site_for_request(request)
    if site is None:
        return None
    request._wagtail_cached_site_root_paths = site_root_paths()
    return _route(request, site, "")[0]
