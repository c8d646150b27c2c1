"""Keeping the index and answering queries.

Indexing: `update()` takes what changed (pages, subtrees, documents, services, removed
keys), rebuilds their rows in one transaction per kind of object, and deletes the rows of
what a visitor may no longer see. `reindex()` rebuilds everything in batches, reporting
progress. Querying: `search()` and `suggest()` return what the views show.
"""

import math
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page

from communes.models import Collectivite, SiteDocument
from communes.services.document_access import documents_used_on
from directory.models import ServiceEntry
from search import sources
from search.documents import extract_text
from search.engines import Filters, get_engine, read_entries
from search.models import Promotion, SearchEntry
from search.text import Query, highlight, matcher
from serving.cache import cached
from serving.pages import site_by_id

PER_PAGE = 10
MAX_PAGES = 50
BATCH = 200
UPDATED_FIELDS = [
    "kind",
    "site",
    "collectivite",
    "language",
    "path",
    "title",
    "summary",
    "body",
    "keywords",
    "date",
    "expires_at",
    "boost",
    "details",
    "updated_at",
]


# --- indexing ----------------------------------------------------------------------------


def write(entries, considered_keys):
    """Save `entries` and make them findable; forget the considered keys left without one.
    One transaction: a failure leaves the index as it was for these objects."""
    engine = get_engine()
    keys = {e.key for e in entries}
    gone = set(considered_keys) - keys
    with transaction.atomic():
        if gone:
            remove(gone)
        if not entries:
            return 0
        now = timezone.now()
        for entry in entries:
            entry.updated_at = now
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=UPDATED_FIELDS,
            batch_size=BATCH,
        )
        ids = dict(SearchEntry.objects.filter(key__in=keys).values_list("key", "id"))
        for entry in entries:
            entry.pk = ids[entry.key]
        engine.write(entries)
    return len(entries)


def remove(keys):
    keys = list(keys)
    with transaction.atomic():
        ids = list(SearchEntry.objects.filter(key__in=keys).values_list("id", flat=True))
        if ids:
            get_engine().delete(ids)
            SearchEntry.objects.filter(id__in=ids).delete()
    return len(ids)


def index_pages(page_ids, context=None):
    context = context or sources.Context.load()
    page_ids = list(page_ids)
    done = 0
    for start in range(0, len(page_ids), BATCH):
        chunk = page_ids[start : start + BATCH]
        pages = Page.objects.filter(pk__in=chunk).specific().select_related("locale")
        entries = sources.page_entries(pages, context)
        done += write(entries, [sources.page_key(pk) for pk in chunk])
    return done


def index_subtrees(page_ids, context=None):
    """The pages at and below these: after a move, an unpublish, a private section."""
    ids = _subtree_ids(page_ids)
    if not ids:
        return 0
    return index_pages(ids, context)


def _subtree_ids(page_ids):
    paths = list(Page.objects.filter(pk__in=page_ids).values_list("path", flat=True))
    if not paths:
        return []
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Page.objects.filter(q).values_list("pk", flat=True))


def _with_subtrees(pages, subtrees):
    return sorted(set(pages) | set(_subtree_ids(subtrees)))


def index_documents(document_ids, context=None, extract=True):
    """Read the text of these documents (when `extract`) and index them; the pages they are
    attached to are indexed again when a text changed (a meeting is found by a word of its
    minutes)."""
    context = context or sources.Context.load()
    document_ids = list(document_ids)
    done, changed = 0, []
    for start in range(0, len(document_ids), BATCH):
        chunk = document_ids[start : start + BATCH]
        documents = list(SiteDocument.objects.filter(pk__in=chunk))
        if extract:
            for document in documents:
                text = extract_text(document)
                if text != document.text:
                    # update(), not save(): saving would signal a new indexing.
                    SiteDocument.objects.filter(pk=document.pk).update(text=text)
                    document.text = text
                    changed.append(document.pk)
        entries = sources.document_entries(documents, context)
        done += write(entries, [sources.document_key(pk) for pk in chunk])
    if changed:
        pages = {page_id for page_id, _ in sources.attachments(document_ids=changed)}
        index_pages(sorted(pages), context)
    return done


def index_services(service_ids=None, source="", context=None):
    context = context or sources.Context.load()
    queryset = ServiceEntry.objects.select_related("category", "commune")
    if source:
        service_ids = list(queryset.filter(source=source).values_list("pk", flat=True))
    service_ids = list(service_ids or [])
    done = 0
    for start in range(0, len(service_ids), BATCH * 5):
        chunk = service_ids[start : start + BATCH * 5]
        entries = sources.service_entries(queryset.filter(pk__in=chunk), context)
        done += write(entries, [sources.service_key(pk) for pk in chunk])
    if source:
        # Entries archived by the import (a queryset update, no signal) leave the index.
        active = set(
            ServiceEntry.objects.filter(status=ServiceEntry.Status.ACTIVE).values_list(
                "pk", flat=True
            )
        )
        indexed = SearchEntry.objects.filter(kind=SearchEntry.Kind.SERVICE).values_list(
            "key", flat=True
        )
        orphans = [key for key in indexed if int(key.split(":")[1]) not in active]
        if orphans:
            remove(orphans)
    return done


def update(pages=(), subtrees=(), documents=(), services=(), removed=(), service_source=""):
    """What the background task runs: documents first, so that pages attaching them are
    indexed with their text."""
    context = sources.Context.load()
    done = 0
    if removed:
        done += remove(removed)
    if documents:
        done += index_documents(documents, context)
    if subtrees:
        done += index_subtrees(subtrees, context)
    if pages:
        done += index_pages(pages, context)
    if subtrees or pages:
        # A section made private or public, a page now using a document: the documents these
        # pages use may have become private or public with them (document_access).
        used = documents_used_on(_with_subtrees(pages, subtrees))
        done += index_documents(used, context, extract=False)
    if services or service_source:
        done += index_services(services, service_source, context)
    return done


def reindex(progress=None, extract=False):
    """Everything again, in batches of one transaction each. `extract` reads every
    document's text again (otherwise the text already extracted is used)."""
    context = sources.Context.load()
    engine = get_engine()
    with transaction.atomic():
        engine.clear()
        SearchEntry.objects.all().delete()
    counts = {}
    plan = [
        (
            "documents",
            SiteDocument.objects.order_by("pk"),
            lambda chunk: index_documents(chunk, context, extract=extract),
        ),
        (
            "pages",
            Page.objects.filter(depth__gte=2, live=True).order_by("path"),
            lambda chunk: index_pages(chunk, context),
        ),
        (
            "services",
            ServiceEntry.objects.filter(status=ServiceEntry.Status.ACTIVE).order_by("pk"),
            lambda chunk: index_services(chunk, context=context),
        ),
    ]
    for label, queryset, indexer in plan:
        ids = list(queryset.values_list("pk", flat=True))
        counts[label] = 0
        for start in range(0, len(ids), BATCH):
            counts[label] += indexer(ids[start : start + BATCH])
            if progress:
                progress(label, min(start + BATCH, len(ids)), len(ids))
    return counts


# --- querying ----------------------------------------------------------------------------


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


def _url(entry, site):
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
