"""What the quality dashboard knows of each site, gathered for many collectivités at once.

`site_quality(collectivites)` reads the pages of every site in a fixed number of queries (one
per kind of fact, grouped by the path prefix of each site's home page), whatever the number
of collectivités: the dashboard lists 160 of them. `quality.services.checks` turns the facts
into to-dos and a score.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from communes.models import (
    AccessibilityPage,
    CollectiviteHomePage,
    ContactPage,
    CouncilIndexPage,
    CouncilMeetingPage,
    MairiePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from quality.models import LinkIssue

# The pages the law asks of every public site, by the slug the blueprints give them.
LEGAL_SLUGS = {
    "mentions-legales": StandardPage,
    "donnees-personnelles": StandardPage,
    "accessibilite": AccessibilityPage,
}


@dataclass(frozen=True)
class Todo:
    """One thing to do on a site: `admin_url` is the admin page where it is done."""

    code: str
    label: str
    admin_url: str
    stale: bool = False


@dataclass(frozen=True)
class PendingModeration:
    page_id: int
    title: str
    requested_at: datetime.datetime
    status: str
    diff_url: str
    review_url: str


@dataclass
class SiteFacts:
    """What the pages of one site say, before any judgement."""

    home_id: int | None = None
    photo_id: int | None = None
    last_edit: datetime.datetime | None = None
    last_publication: datetime.datetime | None = None
    mairie: dict | None = None
    contact: dict | None = None
    news_index_id: int | None = None
    council_index_id: int | None = None
    last_news: datetime.date | None = None
    last_minutes: datetime.datetime | None = None
    # The latest meeting past the grace period, whether it has its minutes or not.
    last_meeting: dict | None = None
    legal: dict = field(default_factory=dict)
    pending: list = field(default_factory=list)
    issues: dict = field(default_factory=dict)


def gather_facts(collectivites, now=None) -> dict:
    """{collectivité pk: SiteFacts} for provisioned collectivités (others get empty facts)."""
    from django.conf import settings

    now = now or timezone.now()
    collectivites = list(collectivites)
    facts = {c.pk: SiteFacts(home_id=c.home_page_id) for c in collectivites}
    homes = CollectiviteHomePage.objects.filter(
        pk__in=[c.home_page_id for c in collectivites if c.home_page_id]
    ).values("pk", "path", "depth", "photo_id")
    by_home = {c.home_page_id: facts[c.pk] for c in collectivites if c.home_page_id}
    by_depth = defaultdict(dict)
    for home in homes:
        by_home[home["pk"]].photo_id = home["photo_id"]
        by_depth[home["depth"]][home["path"]] = by_home[home["pk"]]
    grace = now - datetime.timedelta(days=settings.QUALITY_MINUTES_GRACE_DAYS)
    for depth, sites in by_depth.items():
        _read_sites(depth, sites, now, grace)
    sites_by_id = {c.site_id: facts[c.pk] for c in collectivites if c.site_id}
    issues = LinkIssue.objects.filter(site_id__in=sites_by_id)
    for row in issues.values("site_id", "kind").annotate(n=Count("pk")):
        sites_by_id[row["site_id"]].issues[row["kind"]] = row["n"]
    return facts


def _read_sites(depth, sites, now, grace):
    """Fill the facts of the sites whose home pages sit at `depth` (paths: `sites`' keys)."""
    length = Page.steplen * depth

    def below(model, children_only=False):
        # No ordering: Wagtail orders pages by path, which would split every GROUP BY.
        queryset = model.objects.annotate(prefix=Substr("path", 1, length)).order_by()
        queryset = queryset.filter(prefix__in=list(sites))
        if children_only:
            return queryset.filter(depth=depth + 1)
        return queryset.filter(depth__gt=depth)

    tree = Page.objects.annotate(prefix=Substr("path", 1, length)).order_by()
    tree = tree.filter(prefix__in=list(sites), depth__gte=depth)
    for row in tree.values("prefix").annotate(
        edit=Max("latest_revision_created_at"), publication=Max("last_published_at")
    ):
        sites[row["prefix"]].last_edit = row["edit"]
        sites[row["prefix"]].last_publication = row["publication"]

    mairies = below(MairiePage, True).annotate(
        n_hours=Count("opening_hours", distinct=True),
        n_officials=Count("officials", distinct=True),
    )
    for row in mairies.values("prefix", "pk", "live", "phone", "email", "n_hours", "n_officials"):
        sites[row["prefix"]].mairie = row
    for row in below(ContactPage, True).values("prefix", "pk", "live", "to_address"):
        sites[row["prefix"]].contact = row
    for row in below(NewsIndexPage, True).values("prefix", "pk"):
        sites[row["prefix"]].news_index_id = row["pk"]
    for row in below(CouncilIndexPage, True).values("prefix", "pk"):
        sites[row["prefix"]].council_index_id = row["pk"]
    news = below(NewsPage).filter(live=True).values("prefix").annotate(last=Max("date"))
    for row in news:
        sites[row["prefix"]].last_news = row["last"]

    meetings = below(CouncilMeetingPage).filter(live=True, date__lt=now)
    for row in meetings.values("prefix").annotate(
        last=Max("date", filter=Q(date__lt=grace)),
        with_minutes=Max("date", filter=Q(minutes__isnull=False)),
    ):
        sites[row["prefix"]].last_minutes = row["with_minutes"]
        if row["last"] is not None:
            sites[row["prefix"]].last_meeting = {"date": row["last"]}
    last = meetings.filter(date__lt=grace).order_by("prefix", "-date")
    last = last.values("prefix", "pk", "date", "minutes_id")
    for row in last:
        meeting = sites[row["prefix"]].last_meeting
        if meeting is not None and "pk" not in meeting and row["date"] == meeting["date"]:
            meeting.update(pk=row["pk"], has_minutes=row["minutes_id"] is not None)

    for model in {StandardPage, AccessibilityPage}:
        slugs = [slug for slug, wanted in LEGAL_SLUGS.items() if wanted is model]
        pages = below(model, True).filter(slug__in=slugs)
        fields = ["prefix", "pk", "slug", "live", "title", "intro"]
        for row in pages.values(*fields, *(["body"] if model is StandardPage else [])):
            row["empty"] = model is StandardPage and not (
                _text(row["intro"]) or len(row.get("body") or [])
            )
            sites[row["prefix"]].legal[row["slug"]] = row

    _read_moderation(sites, length, depth)


def _text(html):
    from django.utils.html import strip_tags

    return strip_tags(html or "").strip()


def _read_moderation(sites, length, depth):
    """Pages of these sites waiting in a workflow, with the links to their diff."""
    states = (
        WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .select_related("current_task_state")
        .order_by("created_at")
    )
    states = list(states)
    if not states:
        return
    pages = (
        Page.objects.annotate(prefix=Substr("path", 1, length))
        .filter(prefix__in=list(sites), depth__gte=depth, pk__in=[int(s.object_id) for s in states])
        .values("pk", "prefix", "title", "live")
    )
    pages = {row["pk"]: row for row in pages}
    for state in states:
        page = pages.get(int(state.object_id))
        if page is None:
            continue
        task_state = state.current_task_state
        revision_id = task_state.revision_id if task_state else None
        diff_url = review_url = reverse("wagtailadmin_pages:edit", args=[page["pk"]])
        if revision_id:
            base = "live" if page["live"] else "earliest"
            diff_url = reverse(
                "wagtailadmin_pages:revisions_compare", args=[page["pk"], base, revision_id]
            )
        if task_state:
            review_url = reverse(
                "wagtailadmin_pages:workflow_preview", args=[page["pk"], task_state.task_id]
            )
        sites[page["prefix"]].pending.append(
            PendingModeration(
                page_id=page["pk"],
                title=page["title"],
                requested_at=state.created_at,
                status=state.get_status_display(),
                diff_url=diff_url,
                review_url=review_url,
            )
        )
