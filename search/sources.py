"""What is searched: the index rows made from pages, documents and directory entries.

Each builder takes objects and returns unsaved `SearchEntry` rows for the ones a visitor
may see (live, public, on a site); the others get none, and `search.indexing` deletes any
row they had. Page text comes from the models' own Wagtail `search_fields`, so a page type
says once what is searchable in it; a field with `boost` ≥ 2 counts as a keyword.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.search import index

from communes.models import (
    BulletinPage,
    Collectivite,
    CouncilMeetingPage,
    Deliberation,
    EventPage,
    MairiePage,
    NewsPage,
    SiteDocument,
)
from communes.services.document_access import private_documents
from directory.models import ServiceEntry, ServicesPage
from search.models import SearchEntry
from search.text import html_to_text
from serving.siteurls import every_site_root_path

Kind = SearchEntry.Kind

KIND_OF_PAGE = {NewsPage: Kind.NEWS, EventPage: Kind.EVENT, CouncilMeetingPage: Kind.MEETING}
# How much a page type weighs against the others when both match as well.
BOOST_OF_PAGE = {MairiePage: 2.0, CouncilMeetingPage: 1.2}
SUMMARY_FIELDS = {"intro", "summary", "search_description"}
# Index at most this much text of one object: a 300-page PDF is still found by its first
# ~40 pages, and the index stays small.
MAX_BODY = 100_000


def page_key(pk):
    return f"page:{pk}"


def document_key(pk):
    return f"document:{pk}"


def service_key(pk):
    return f"service:{pk}"


@dataclass
class Context:
    """What every builder needs, read once per batch."""

    sites: dict = field(default_factory=dict)
    collectivite_of_site: dict = field(default_factory=dict)
    collectivite_of_collection: dict = field(default_factory=dict)
    restricted_paths: list = field(default_factory=list)
    restricted_collections: set = field(default_factory=set)
    portal_site_id: int | None = None
    services_path: dict = field(default_factory=dict)
    # Read once per batch: Wagtail would read them from the cache for every URL it builds.
    root_paths: list = field(default_factory=list)

    @classmethod
    def load(cls):
        context = cls()
        context.root_paths = every_site_root_path()
        context.sites = {s.pk: s for s in Site.objects.all()}
        for c in Collectivite.objects.exclude(site=None).only("pk", "site_id", "collection_id"):
            context.collectivite_of_site[c.site_id] = c.pk
            if c.collection_id:
                context.collectivite_of_collection[c.collection_id] = (c.pk, c.site_id)
        context.portal_site_id = next(
            (s.pk for s in context.sites.values() if s.is_default_site), None
        )
        context.restricted_paths = list(
            PageViewRestriction.objects.values_list("page__path", flat=True)
        )
        restricted = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
        if restricted:
            from wagtail.models import Collection

            q = Q()
            for path in restricted:
                q |= Q(path__startswith=path)
            context.restricted_collections = set(
                Collection.objects.filter(q).values_list("pk", flat=True)
            )
        for page in ServicesPage.objects.live().only("path", "url_path", "depth"):
            page._wagtail_cached_site_root_paths = context.root_paths
            parts = page.get_url_parts()
            if parts and not context.is_private(page):
                context.services_path[parts[0]] = parts[2]
        return context

    def is_private(self, page):
        return any(page.path.startswith(path) for path in self.restricted_paths)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value)
    value = str(value)
    return html_to_text(value) if "<" in value or "&" in value else value


def _page_texts(page):
    """(summary, body, keywords) of a page from its model's search fields."""
    summary, body, keywords = [page.search_description], [], []
    for declared in page.get_search_fields():
        if isinstance(declared, index.SearchField):
            if declared.field_name == "title":
                continue
            value = _text(declared.get_value(page))
            if (declared.boost or 0) >= 2:
                keywords.append(value)
            elif declared.field_name in SUMMARY_FIELDS:
                summary.append(value)
            else:
                body.append(value)
        elif isinstance(declared, index.RelatedFields):
            related = declared.get_value(page)
            items = related.all() if hasattr(related, "all") else [related] if related else []
            for item in items:
                for sub in declared.fields:
                    if isinstance(sub, index.SearchField):
                        body.append(_text(sub.get_value(item)))
    return (
        " ".join(s for s in summary if s).strip(),
        " ".join(b for b in body if b).strip(),
        " ".join(k for k in keywords if k).strip(),
    )


# Where a page holds documents whose text belongs to it: (model, page field, document field).
ATTACHMENTS = [
    (CouncilMeetingPage, "pk", "minutes_id"),
    (Deliberation, "page_id", "document_id"),
    (BulletinPage, "pk", "document_id"),
]


def attachments(page_ids=None, document_ids=None):
    """(page id, document id) pairs of the documents attached to pages, narrowed to these
    pages or these documents."""
    pairs = []
    for model, page_field, document_field in ATTACHMENTS:
        rows = model.objects.filter(**{f"{document_field}__isnull": False})
        if page_ids is not None:
            rows = rows.filter(**{f"{page_field}__in": page_ids})
        if document_ids is not None:
            rows = rows.filter(**{f"{document_field}__in": document_ids})
        pairs += rows.values_list(page_field, document_field)
    return pairs


def _attached_documents(pages):
    """The text of the documents attached to each page: the minutes and deliberations of a
    meeting, the PDF of a bulletin. A word only in the PDF finds the page."""
    attached = {}
    for page_id, document_id in attachments(page_ids=[p.pk for p in pages]):
        attached.setdefault(page_id, []).append(document_id)
    wanted = {d for docs in attached.values() for d in docs}
    texts = dict(SiteDocument.objects.filter(pk__in=wanted).values_list("pk", "text"))
    return {pk: " ".join(texts.get(d, "") for d in docs) for pk, docs in attached.items()}


def _page_date(page):
    for name in ("date", "start"):
        value = getattr(page, name, None)
        if value is not None:
            return value
    return page.first_published_at


def page_entries(pages, context: Context):
    """Rows for the given specific pages that a visitor may see; the others get none."""
    from django.utils import timezone

    visible = []
    for page in pages:
        if not page.live or page.depth < 2 or context.is_private(page):
            continue
        if page.expire_at and page.expire_at <= timezone.now():
            continue
        page._wagtail_cached_site_root_paths = context.root_paths
        parts = page.get_url_parts()
        if parts is None or parts[0] not in context.sites:
            continue
        visible.append((page, parts))
    attached = _attached_documents([page for page, _ in visible])
    entries = []
    for page, (site_id, _root, path) in visible:
        summary, body, keywords = _page_texts(page)
        extra_text = attached.get(page.pk)
        if extra_text:
            body = f"{body} {extra_text}".strip()
        details = {}
        if isinstance(page, EventPage):
            details["place"] = page.place
        entries.append(
            SearchEntry(
                key=page_key(page.pk),
                kind=KIND_OF_PAGE.get(type(page), Kind.PAGE),
                site_id=site_id,
                collectivite_id=context.collectivite_of_site.get(site_id),
                language=page.locale.language_code if page.locale_id else "fr",
                path=path,
                title=page.title[:500],
                summary=summary[:2000],
                body=body[:MAX_BODY],
                keywords=keywords[:2000],
                date=_as_datetime(_page_date(page)),
                expires_at=page.expire_at,
                boost=BOOST_OF_PAGE.get(type(page), 1.0),
                details=details,
            )
        )
    return entries


def _as_datetime(value):
    import datetime

    from django.utils import timezone

    if value is None or isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time(12)))


def document_entries(documents, context: Context):
    entries = []
    # A document that only private pages use is as private as they are.
    private = private_documents([d.pk for d in documents], context.restricted_paths)
    for document in documents:
        owner = context.collectivite_of_collection.get(document.collection_id)
        if owner is None or document.collection_id in context.restricted_collections:
            continue
        if document.pk in private:
            continue
        collectivite_id, site_id = owner
        if site_id not in context.sites:
            continue
        try:
            size = document.file.size
        except (OSError, ValueError):
            size = None
        entries.append(
            SearchEntry(
                key=document_key(document.pk),
                kind=Kind.DOCUMENT,
                site_id=site_id,
                collectivite_id=collectivite_id,
                path=document.url,
                title=document.title[:500],
                body=(document.text or "")[:MAX_BODY],
                date=document.created_at,
                boost=0.7,
                details={"format": document.format_label, "size": size},
            )
        )
    return entries


def service_entries(services, context: Context):
    entries = []
    for service in services:
        if service.status != ServiceEntry.Status.ACTIVE:
            continue
        site_id = None
        if service.commune_id is not None and service.commune.site_id in context.sites:
            site_id = service.commune.site_id
        site_id = site_id or context.portal_site_id
        base = context.services_path.get(site_id) or context.services_path.get(
            context.portal_site_id
        )
        if site_id is None or base is None:
            continue
        if site_id not in context.services_path:
            site_id = context.portal_site_id
        entries.append(
            SearchEntry(
                key=service_key(service.pk),
                kind=Kind.SERVICE,
                site_id=site_id,
                collectivite_id=service.commune_id,
                path=base.rstrip("/") + "/" + ServicesPage.entry_path(service).lstrip("/"),
                title=service.name[:500],
                summary=" ".join(
                    p for p in (service.category.name, service.address, service.city) if p
                ),
                body=" ".join(p for p in (service.description, service.accessibility) if p),
                keywords=service.category.name,
                boost=0.9,
                details={"city": service.city, "category": service.category.name},
            )
        )
    return entries


def all_pages():
    return Page.objects.filter(depth__gte=2, live=True).specific().iterator(chunk_size=200)


def all_documents():
    return SiteDocument.objects.iterator(chunk_size=200)


def all_services():
    return (
        ServiceEntry.objects.filter(status=ServiceEntry.Status.ACTIVE)
        .select_related("category", "commune")
        .iterator(chunk_size=500)
    )
