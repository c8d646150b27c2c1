"""The background checker of the sites' links, images and documents (docs/quality.md).

`check_all()` or `check_site(site)`: the live pages of each site are read (extract.py), links
within the Pays are checked without HTTP (internal.py), outside links over HTTP, politely and
once per run whatever the number of sites linking to them (fetching.py, cached in
CheckedUrl), images without alternative text and PDFs without text are listed
(accessibility.py). Each site's LinkIssue rows are then replaced in one transaction: what is
found again keeps its `first_seen` and gets a new `last_seen`, what is no longer found is
deleted. A site that fails leaves the others checked and saved.
"""

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, Site

from quality.models import CheckedUrl, LinkIssue
from quality.services import accessibility, internal
from quality.services.extract import DOCUMENT, IMAGE, PAGE, PAGE_RELATIONS, URL, read_page
from quality.services.fetching import Checker, host_key

logger = logging.getLogger(__name__)


class NetworkDown(Exception):
    """No outside host answered at all."""


@dataclass
class SiteReport:
    hostname: str
    pages: int = 0
    links: int = 0
    external: int = 0
    issues: Counter = field(default_factory=Counter)
    added: int = 0
    removed: int = 0
    error: str = ""
    # True: no outside host answered (no network), its outside links were not checked.
    outside_unchecked: bool = False
    found: list = field(default_factory=list)  # the issues, as dicts of LinkIssue's fields

    def line(self) -> str:
        counts = ", ".join(
            f"{label} : {self.issues.get(kind, 0)}" for kind, label in LinkIssue.Kind.choices
        )
        unchecked = (
            " ; liens extérieurs non vérifiés : aucun hôte n'a répondu (pas de réseau ?)"
            if self.outside_unchecked
            else ""
        )
        return (
            f"{self.hostname} : {self.pages} pages, {self.links} liens dont {self.external} "
            f"vers l'extérieur — {counts} (nouveaux : {self.added}, disparus : {self.removed})"
            + unchecked
        )

    def issue_lines(self):
        labels = dict(LinkIssue.Kind.choices)
        titles = dict(
            Page.objects.filter(pk__in={i["page_id"] for i in self.found}).values_list(
                "pk", "title"
            )
        )
        for issue in self.found:
            code = f" HTTP {issue['status_code']}" if issue["status_code"] else ""
            yield (
                f"{labels[issue['kind']]} : {issue['url']} « {issue['label']} » "
                f"({issue['detail']}{code}), page « {titles.get(issue['page_id'], '—')} »"
            )


@dataclass
class _Site:
    site: Site
    report: SiteReport
    references: list = field(default_factory=list)
    external: dict = field(default_factory=dict)  # url -> [reference]
    internal_problems: list = field(default_factory=list)  # (reference, url, why)


def check_site(site, external=None, dry_run=False, checker=None) -> SiteReport:
    return check_sites([site], external=external, dry_run=dry_run, checker=checker)[0]


def check_all(external=None, dry_run=False, checker=None) -> list[SiteReport]:
    sites = Site.objects.select_related("root_page").order_by("hostname")
    return check_sites(list(sites), external=external, dry_run=dry_run, checker=checker)


def check_sites(sites, external=None, dry_run=False, checker=None) -> list[SiteReport]:
    external = settings.QUALITY_LINKS_EXTERNAL if external is None else external
    hosts = internal.site_hosts()
    states = []
    for site in sites:
        state = _Site(site, SiteReport(site.hostname))
        try:
            _read_site(state, hosts)
        except Exception as exc:  # noqa: BLE001 - one site's failure is reported, not raised
            logger.exception("Link check of %s failed while reading its pages", site.hostname)
            state.report.error = f"{type(exc).__name__}: {exc}"[:500]
        states.append(state)
    urls = {url for state in states if not state.report.error for url in state.external}
    try:
        outcomes = _outside(urls, checker, dry_run) if external else {}
    except NetworkDown:
        outcomes = {}
        for state in states:
            state.report.outside_unchecked = bool(state.external)
    for state in states:
        if state.report.error:
            continue
        checked = external and not state.report.outside_unchecked
        try:
            with transaction.atomic():
                _save(state, outcomes, outside_checked=checked)
                if dry_run:
                    transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001
            logger.exception("Link check of %s failed", state.site.hostname)
            state.report.error = f"{type(exc).__name__}: {exc}"[:500]
            state.report.added = state.report.removed = 0
    return [state.report for state in states]


# --- Reading the pages ---------------------------------------------------------------------


def live_pages(site):
    """The site's live pages, in each of its languages, as their specific types, with their
    inline rows: one query per page type, and one per inline relation."""
    roots = list(site.root_page.get_translations(inclusive=True).values_list("path", flat=True))
    within, others = Q(), Q()
    for root in roots:
        within |= Q(path__startswith=root)
    # The portal's tree holds every commune's site: a page belongs to the deepest site only.
    keys = Site.objects.exclude(pk=site.pk).values("root_page__translation_key")
    for other in Page.objects.filter(translation_key__in=keys).values_list("path", flat=True):
        if any(other.startswith(root) and other != root for root in roots):
            others |= Q(path__startswith=other)
    pages = Page.objects.live().filter(within)
    if others:
        pages = pages.exclude(others)
    by_type = defaultdict(list)
    for pk, content_type_id in pages.values_list("pk", "content_type_id"):
        by_type[content_type_id].append(pk)
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a page type whose code was removed
            continue
        relations = [
            relation.get_accessor_name()
            for relation in get_all_child_relations(model)
            if relation.name not in PAGE_RELATIONS
        ]
        for start in range(0, len(ids), 500):
            yield from model.objects.filter(pk__in=ids[start : start + 500]).prefetch_related(
                *relations
            )


def _read_site(state, hosts):
    problems = []
    for page in live_pages(state.site):
        state.report.pages += 1
        for ref in read_page(page):
            state.references.append(ref)
            if ref.kind != URL:
                continue
            where, target_site, url = internal.split(ref.target, state.site, hosts)
            if where == "external":
                state.external.setdefault(url, []).append(ref)
            elif where == "internal":
                problems.append((ref, target_site, url))
    state.report.links = sum(1 for ref in state.references if ref.kind in (PAGE, DOCUMENT, URL))
    state.report.external = len(state.external)
    state.internal_problems = [
        (ref, url, why)
        for ref, target_site, url in problems
        if (why := internal.path_problem(target_site, url))
    ]


# --- Outside links -------------------------------------------------------------------------


def _outside(urls, checker, dry_run) -> dict[str, CheckedUrl]:
    """Every outside URL's answer: from the last hours' checks, or requested now."""
    since = timezone.now() - datetime.timedelta(hours=settings.QUALITY_LINKS_RECHECK_HOURS)
    known = {}
    for chunk in _chunks(sorted(urls)):
        known.update(
            (row.url, row)
            for row in CheckedUrl.objects.filter(url__in=chunk, checked_at__gte=since)
        )
    missing = [url for url in urls if url not in known]
    if not missing:
        return known
    checker = checker or Checker()
    now = timezone.now()
    answers = checker.check_many(missing)
    if any(outcome.ok is False for outcome in answers.values()) and not any(
        outcome.status_code for outcome in answers.values()
    ):
        # Not one host answered anything: our network is down (or this is the demo machine,
        # which has no internet), not every link of the Pays broken. Nothing is kept.
        logger.warning("Link check: no outside host answered; outside links not checked")
        raise NetworkDown
    for url, outcome in answers.items():
        row = CheckedUrl(
            url=url[:2000],
            host=host_key(url)[:255],
            status_code=outcome.status_code,
            ok=outcome.ok,
            detail=outcome.detail[:255],
            checked_at=now,
        )
        if not dry_run:
            row, _created = CheckedUrl.objects.update_or_create(
                url=row.url,
                defaults={
                    "host": row.host,
                    "status_code": row.status_code,
                    "ok": row.ok,
                    "detail": row.detail,
                    "checked_at": now,
                },
            )
        known[url] = row
    return known


def _chunks(items, size=500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- The site's issues -----------------------------------------------------------------------


def site_issues(state, outcomes) -> list[dict]:
    references = state.references
    issues = []
    pages = internal.page_states({r.target for r in references if r.kind == PAGE})
    documents = internal.existing_documents({r.target for r in references if r.kind == DOCUMENT})
    images = accessibility.load_images(references)
    for ref in references:
        if ref.kind == PAGE and not pages.get(ref.target):
            gone = ref.target not in pages
            issues.append(
                _broken(ref, f"page {ref.target}", "page supprimée" if gone else "page non publiée")
            )
        elif ref.kind == DOCUMENT and ref.target not in documents:
            issues.append(_broken(ref, f"document {ref.target}", "document supprimé"))
        elif ref.kind == IMAGE and ref.target not in images:
            issues.append(_broken(ref, f"image {ref.target}", "image supprimée"))
    for ref, url, why in state.internal_problems:
        issues.append(_broken(ref, url, why))
    for url, refs in state.external.items():
        outcome = outcomes.get(url)
        if outcome is not None and outcome.ok is False:
            for ref in refs:
                issues.append(_broken(ref, url, outcome.detail, outcome.status_code))
    issues += accessibility.image_issues(references, images)
    issues += accessibility.document_issues(state.site, references)
    return issues


def _broken(ref, url, detail, status_code=None) -> dict:
    return {
        "kind": LinkIssue.Kind.BROKEN_LINK,
        "url": url[:2000],
        "label": ref.label[:255],
        "status_code": status_code,
        "detail": detail[:255],
        "page_id": ref.page_id,
    }


def _save(state, outcomes, outside_checked=True):
    """The site's rows made what this run found: one per (kind, page, url). Outside links
    not checked this time (--internal-only, no network) keep the rows of the last check."""
    now = timezone.now()
    found = {}
    for issue in site_issues(state, outcomes):
        found.setdefault((issue["kind"], issue["page_id"], issue["url"]), issue)
    existing = {
        (row.kind, row.page_id, row.url): row
        for row in LinkIssue.objects.filter(site=state.site).order_by("pk")
    }
    unchecked = set() if outside_checked else set(state.external)
    stale = [
        row.pk for key, row in existing.items() if key not in found and row.url not in unchecked
    ]
    LinkIssue.objects.filter(pk__in=stale).delete()
    kept, added = [], []
    for key, issue in found.items():
        row = existing.get(key)
        if row is None:
            added.append(LinkIssue(site=state.site, last_seen=now, **issue))
            continue
        for name in ("label", "status_code", "detail"):
            setattr(row, name, issue[name])
        row.last_seen = now
        kept.append(row)
    LinkIssue.objects.bulk_create(added)
    LinkIssue.objects.bulk_update(kept, ["label", "status_code", "detail", "last_seen"])
    state.report.found = list(found.values())
    state.report.issues = Counter(issue["kind"] for issue in found.values())
    state.report.added, state.report.removed = len(added), len(stale)
