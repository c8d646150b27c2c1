"""The weekly digest: one email to each secretary saying what is missing or stale on her
site(s), each item with its absolute admin link.

Who gets it: the active accounts in a QUALITY_DIGEST_ROLES group (the secretariat by default)
of a provisioned collectivité other than the Pays; a suspended account (is_active False) or
one without an address gets nothing, nor does one whose sites have nothing to report. There
is no per-person opt-out: QUALITY_DIGEST_ROLES="" turns the digest off (docs/quality.md).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from communes.models import Collectivite, CollectiviteGroup
from quality.models import LinkIssue
from quality.services.checks import site_quality

# Issue rows quoted per site; the rest are counted.
ISSUES_SHOWN = 10


@dataclass
class DigestReport:
    dry_run: bool = False
    sent: list = field(default_factory=list)  # (username, email, [site names])
    nothing_to_report: int = 0
    without_address: int = 0
    failed: list = field(default_factory=list)

    @property
    def summary(self):
        verb = "would be sent" if self.dry_run else "sent"
        return (
            f"{len(self.sent)} digest(s) {verb}, {self.nothing_to_report} account(s) with "
            f"nothing to report, {self.without_address} without an address, "
            f"{len(self.failed)} failed."
        )


def recipients():
    """{user: [collectivités]}: the active editors the digest is for, by name."""
    roles = settings.QUALITY_DIGEST_ROLES
    links = CollectiviteGroup.objects.filter(
        role__in=roles, collectivite__status=Collectivite.Status.PROVISIONED
    ).exclude(collectivite__kind=Collectivite.Kind.PAYS)
    memberships = get_user_model().groups.through.objects.filter(
        group__collectivite_link__in=links, user__is_active=True
    )
    sites = defaultdict(set)
    for user_id, collectivite_id in memberships.values_list(
        "user_id", "group__collectivite_link__collectivite_id"
    ):
        sites[user_id].add(collectivite_id)
    collectivites = {
        c.pk: c
        for c in Collectivite.objects.filter(
            pk__in={pk for pks in sites.values() for pk in pks}
        ).select_related("epci")
    }
    users = get_user_model().objects.filter(pk__in=sites).order_by("last_name", "username")
    return {
        user: sorted((collectivites[pk] for pk in sites[user.pk]), key=lambda c: c.name)
        for user in users
    }


def _absolute(url):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url else ""


def _issue_url(issue):
    """Where to fix it: the page that holds it, else the image's or document's admin page."""
    if issue.page_id:
        return _absolute(reverse("wagtailadmin_pages:edit", args=[issue.page_id]))
    return _absolute(issue.url) if issue.url.startswith("/admin/") else ""


def _site_context(quality, issues):
    items = [
        {"label": todo.label, "url": _absolute(todo.admin_url), "stale": todo.stale}
        for todo in quality.todos
    ]
    shown = [
        {
            "kind": issue.get_kind_display(),
            "label": issue.label or issue.url,
            "url": _issue_url(issue),
        }
        for issue in issues[:ISSUES_SHOWN]
    ]
    return {
        "collectivite": quality.collectivite,
        "score": quality.score,
        "missing": [item for item in items if not item["stale"]],
        "stale": [item for item in items if item["stale"]],
        "issues": shown,
        "more_issues": max(0, len(issues) - ISSUES_SHOWN),
        "home_url": _absolute(reverse("wagtailadmin_explore", args=[home]))
        if (home := quality.collectivite.home_page_id)
        else "",
    }


def build_digests():
    """[(user, {subject, text, html, sites})] for every recipient with something to report,
    and the number of recipients with nothing. The sites are judged once for everyone."""
    by_user = recipients()
    collectivites = {c.pk: c for cs in by_user.values() for c in cs}
    qualities = {q.collectivite.pk: q for q in site_quality(collectivites.values())}
    issues = defaultdict(list)
    site_ids = [c.site_id for c in collectivites.values() if c.site_id]
    for issue in LinkIssue.objects.filter(site_id__in=site_ids).order_by("kind", "-last_seen"):
        issues[issue.site_id].append(issue)
    digests, quiet = [], 0
    for user, sites in by_user.items():
        reported = [
            _site_context(qualities[c.pk], issues[c.site_id])
            for c in sites
            if qualities[c.pk].todos or issues[c.site_id]
        ]
        if not reported:
            quiet += 1
            continue
        digests.append((user, _render(user, reported)))
    return digests, quiet


def _render(user, sites):
    context = {
        "user": user,
        "sites": sites,
        "today": timezone.localdate(),
        "admin_url": _absolute(reverse("wagtailadmin_home")),
        "stale_news_days": settings.QUALITY_STALE_NEWS_DAYS,
    }
    with translation.override("fr"):
        subject = render_to_string("quality/emails/digest_subject.txt", context).strip()
        return {
            "subject": " ".join(subject.split()),
            "text": render_to_string("quality/emails/digest.txt", context),
            "html": render_to_string("quality/emails/digest.html", context),
            "sites": [site["collectivite"].name for site in sites],
        }


def send_digests(dry_run=False) -> DigestReport:
    report = DigestReport(dry_run=dry_run)
    digests, report.nothing_to_report = build_digests()
    for user, digest in digests:
        if not user.email:
            report.without_address += 1
            continue
        if not dry_run:
            message = EmailMultiAlternatives(
                digest["subject"], digest["text"], settings.DEFAULT_FROM_EMAIL, [user.email]
            )
            message.attach_alternative(digest["html"], "text/html")
            try:
                message.send()
            except OSError as error:  # SMTP down for one address: the others still go
                report.failed.append(f"{user.get_username()}: {error}")
                continue
        report.sent.append((user.get_username(), user.email, digest["sites"]))
    return report
