"""The search page of every site (/search/ and /en/search/...) and its suggestions."""

import logging

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from search import services
from search.engines import SearchUnavailable
from search.text import MAX_QUERY_LENGTH, Query
from serving.pages import default_site, home_page, site_for_request

logger = logging.getLogger(__name__)


def _int(value, default=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


@require_GET
def search(request):
    site = site_for_request(request)
    home = home_page(request)
    if site is None or home is None:
        raise Http404
    raw = request.GET.get("q", "")
    portal = site.is_default_site
    kinds = tuple(request.GET.getlist("type"))[:6]
    collectivite_id = _int(request.GET.get("collectivite")) if portal else None
    status = 200
    try:
        results = services.search(
            raw,
            site=site,
            portal=portal,
            kinds=kinds,
            collectivite_id=collectivite_id,
            page=_int(request.GET.get("page"), 1),
        )
    except SearchUnavailable:
        logger.exception("Search engine unavailable")
        results, status = services.Results(query=Query("")), 503
    _link_facets(request, results)
    return render(
        request,
        "search/results.html",
        {
            "page": home,
            "site": site,
            "portal": portal,
            "results": results,
            "raw": raw[:MAX_QUERY_LENGTH],
            "shortened": len(raw) > MAX_QUERY_LENGTH,
            "kinds": kinds,
            "collectivite_id": collectivite_id,
            "pays_search_url": _pays_search_url(request, raw),
            "unavailable": status == 503,
        },
        status=status,
    )


def _pays_search_url(request, raw):
    pays = default_site()
    if pays is None:
        return ""
    return f"{pays.root_url}{reverse('search')}?{urlencode({'q': raw[:MAX_QUERY_LENGTH]})}"


def _link(request, **changes):
    """The current query string with some parameters changed (None removes them)."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params.setlist(name, value if isinstance(value, list) else [value])
    return "?" + params.urlencode()


def _link_facets(request, results):
    for facet in results.kinds:
        facet.url = _link(request, type=facet.value)
    results.all_kinds_url = _link(request, type=None)
    for facet in results.collectivites:
        facet.url = _link(request, collectivite=facet.value)
    results.all_collectivites_url = _link(request, collectivite=None)
    base = _link(request)
    results.page_links = [
        {"number": n, "url": f"{base}&page={n}", "current": n == results.page}
        for n in range(max(1, results.page - 3), min(results.pages, results.page + 3) + 1)
    ]
    results.previous_url = f"{base}&page={results.page - 1}" if results.page > 1 else None
    results.next_url = f"{base}&page={results.page + 1}" if results.page < results.pages else None


@require_GET
def suggest(request):
    site = site_for_request(request)
    if site is None:
        raise Http404
    try:
        suggestions = services.suggest(
            request.GET.get("q", ""), site=site, portal=site.is_default_site
        )
    except SearchUnavailable:
        suggestions = []
    response = JsonResponse({"suggestions": suggestions})
    response["Cache-Control"] = "public, max-age=60"
    return response
