"""Keeping the index.

`update()` takes what changed (pages, subtrees, documents, services, removed keys), rebuilds
their rows in one transaction per kind of object, and deletes the rows of what a visitor may
no longer see. `reindex()` rebuilds everything in batches, reporting progress.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from communes.models import SiteDocument
from communes.services.document_access import documents_used_on
from directory.importers.comarquage import ComarquageImporter
from directory.models import Fiche, ServiceEntry
from search import demarches, sources
from search import occitan as occitan_rows
from search.documents import extract_text
from search.engines import get_engine
from search.models import SearchEntry

BATCH = 200
# The importer whose runs bring service-public.fr's fiches (directory.importers).
FICHES_SOURCE = ComarquageImporter.source
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


def index_fiches(fiche_ids=None, context=None):
    """These fiches (by pk), or all of them: then the rows of fiches gone or archived since
    are removed too."""
    context = context or sources.Context.load()
    everything = fiche_ids is None
    fiche_ids = demarches.all_fiche_ids() if everything else list(fiche_ids)
    done = 0
    for start in range(0, len(fiche_ids), BATCH):
        chunk = fiche_ids[start : start + BATCH]
        fiches = list(Fiche.objects.filter(pk__in=chunk))
        done += write(
            demarches.fiche_entries(fiches, context),
            [demarches.fiche_key(f.fiche_id) for f in fiches],
        )
    if everything:
        wanted = {
            demarches.fiche_key(f.fiche_id)
            for f in Fiche.objects.only("fiche_id", "status", "kind")
            if demarches.is_listed(f)
        }
        indexed = SearchEntry.objects.filter(kind=SearchEntry.Kind.DEMARCHE).values_list(
            "key", flat=True
        )
        if orphans := [key for key in indexed if key not in wanted]:
            remove(orphans)
    return done


def index_occitan(keys, context=None):
    """The Occitan lexicon's rows for these keys (search.occitan): written when live,
    removed otherwise."""
    context = context or sources.Context.load()
    keys = list(keys)
    done = 0
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        done += write(occitan_rows.rows_for(chunk, context), chunk)
    return done


def update(
    pages=(),
    subtrees=(),
    documents=(),
    services=(),
    removed=(),
    service_source="",
    occitan=(),
):
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
    if service_source == FICHES_SOURCE:
        # A comarquage import: its fiches, not directory entries.
        done += index_fiches(context=context)
        service_source = ""
    if services or service_source:
        done += index_services(services, service_source, context)
    if occitan:
        done += index_occitan(occitan, context)
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
        (
            "fiches",
            Fiche.objects.filter(status=ServiceEntry.Status.ACTIVE).order_by("pk"),
            lambda chunk: index_fiches(chunk, context),
        ),
        ("occitan", occitan_rows.all_keys(), lambda chunk: index_occitan(chunk, context)),
    ]
    for label, queryset, indexer in plan:
        if isinstance(queryset, list):
            ids = queryset
        else:
            ids = list(queryset.values_list("pk", flat=True))
        counts[label] = 0
        for start in range(0, len(ids), BATCH):
            counts[label] += indexer(ids[start : start + BATCH])
            if progress:
                progress(label, min(start + BATCH, len(ids)), len(ids))
    return counts
