"""Answering queries: `search()` and `suggest()` return what the views show; the index
they read is kept by search.indexing.
"""

import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language

from communes.models import Collectivite
from search.demarches import site_path
from search.engines import Filters, get_engine, read_entries
from search.models import Promotion, SearchEntry
from search.text import Query, highlight, matcher
from serving.cache import cached
from serving.pages import site_by_id

PER_PAGE = 10
MAX_PAGES = 50


@dataclass
class Result:
    title: str
    url: str
    kind: str
    kind_label: str
    snippet: str
    date: object = None
    collectivite: str = ""
    details: dict = field(default_factory=dict)
    language: str = "fr"


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Results:
    query: Query
    results: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    kinds: list = field(default_factory=list)
    collectivites: list = field(default_factory=list)
    promotions: list = field(default_factory=list)
    any_word: bool = False

    @property
    def first(self):
        return (self.page - 1) * PER_PAGE + 1

    @property
    def last(self):
        return self.first + len(self.results) - 1


def collectivite_names():
    return cached(
        "search-collectivites",
        [],
        lambda: dict(Collectivite.objects.exclude(site=None).values_list("pk", "name")),
    )


def languages():
    current = (get_language() or "fr").split("-")[0]
    return tuple(dict.fromkeys([current, "fr"]))


# Indexed once for the Pays, found and shown on every site.
SHARED_KINDS = (SearchEntry.Kind.DEMARCHE,)


def _url(entry, site):
    if entry.kind == SearchEntry.Kind.DEMARCHE:
        # The fiche on the site searched: its mairie's page, or below its Démarches page.
        fiche_id = entry.path.rstrip("/").rsplit("/", 1)[-1]
        path = site_path(site.pk, fiche_id) if site is not None else ""
        if path:
            return path
    if entry.kind == SearchEntry.Kind.DOCUMENT or (site is not None and entry.site_id == site.pk):
        return entry.path
    target = site_by_id(entry.site_id)
    return (target.root_url + entry.path) if target else entry.path


def search(raw, site=None, portal=False, kinds=(), collectivite_id=None, page=1):
    """Results for what a visitor typed. On a commune site, only that site; on the portal
    (`portal=True`), the whole Pays with facets by collectivité."""
    query = Query(raw)
    results = Results(query=query)
    if not query:
        return results
    valid_kinds = {k for k, _ in SearchEntry.Kind.choices}
    kinds = tuple(k for k in kinds if k in valid_kinds)
    filters = Filters(
        site_id=None if portal or site is None else site.pk,
        shared_kinds=SHARED_KINDS,
        kinds=kinds,
        collectivite_id=collectivite_id if portal else None,
        languages=languages(),
        now=timezone.now(),
    )
    page = max(1, min(page, MAX_PAGES))
    hits = get_engine().search(query, filters, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    results.total, results.page, results.any_word = hits.total, page, hits.any_word
    results.pages = min(MAX_PAGES, math.ceil(hits.total / PER_PAGE))
    entries = read_entries(hits.ids) if hits.entries is None else hits.entries
    names = collectivite_names()
    labels = dict(SearchEntry.Kind.choices)
    pattern = matcher(query)
    for entry in (entries[i] for i in hits.ids if i in entries):
        text = " ".join(p for p in (entry.summary, entry.body) if p)
        results.results.append(
            Result(
                title=entry.title,
                url=_url(entry, site),
                kind=entry.kind,
                kind_label=labels.get(entry.kind, entry.kind),
                snippet=highlight(text, query, pattern=pattern),
                date=entry.date,
                collectivite=names.get(entry.collectivite_id, ""),
                details=entry.details,
                language=entry.language,
            )
        )
    results.kinds = [
        Facet(kind, str(label), hits.kinds[kind], kind in kinds)
        for kind, label in SearchEntry.Kind.choices
        if hits.kinds.get(kind)
    ]
    results.collectivites = sorted(
        (
            Facet(str(pk), names.get(pk, ""), count, pk == collectivite_id)
            for pk, count in hits.collectivites.items()
            if pk in names
        ),
        key=lambda f: (-f.count, f.label),
    )
    if page == 1:
        results.promotions = promotions_for(query, site, portal)
    return results


def suggest(raw, site=None, portal=False, limit=8):
    query = Query(raw)
    if not query.last_prefix:
        return []
    filters = Filters(
        site_id=None if portal or site is None else site.pk,
        shared_kinds=SHARED_KINDS,
        languages=languages(),
        now=timezone.now(),
    )
    ids = get_engine().suggest(query, filters, limit=limit)
    entries = read_entries(ids, columns=("id", "kind", "site_id", "path", "title"))
    return [{"title": entries[i].title, "url": _url(entries[i], site)} for i in ids if i in entries]


def _promotion_rows():
    rows = []
    for promotion in Promotion.objects.select_related("page"):
        url = promotion.url
        if promotion.page_id:
            page = promotion.page
            if not page.live:
                continue
            url = page.get_full_url() or ""
        rows.append(
            {
                "title": promotion.title,
                "url": url,
                "description": promotion.description,
                "site_id": promotion.site_id,
                "stems": promotion.keyword_stems,
                "starts_at": promotion.starts_at,
                "ends_at": promotion.ends_at,
            }
        )
    return rows


def promotions_for(query, site=None, portal=False, limit=3):
    now = timezone.now()
    wanted = set(query.stems)
    found = []
    for row in cached("search-promotions", [], _promotion_rows):
        if row["site_id"] is not None and (portal or site is None or row["site_id"] != site.pk):
            continue
        if (row["starts_at"] and row["starts_at"] > now) or (
            row["ends_at"] and row["ends_at"] <= now
        ):
            continue
        if any(set(line.split()) <= wanted for line in row["stems"].splitlines()):
            found.append(row)
    return found[:limit]
