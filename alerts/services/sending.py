"""Sending: every confirmed subscriber gets, once, each urgent banner in force on their site
and each council meeting of their collectivité announced after they confirmed.

`send_alerts()` is run after every change that may make news (a banner saved, a meeting
published, a subscription confirmed: alerts.signals) and every minute by the scheduler, which
catches the banners whose start was set in the future. `SentAlert` makes a second run, or two
at once, send nothing twice.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alerts.models import SentAlert, Subscription
from alerts.services.mail import send
from alerts.services.subscriptions import links
from communes.models import Banner, Collectivite, CouncilMeetingPage

# How far back a run looks for newly published meetings: longer than any scheduler outage.
MEETINGS_WINDOW = timedelta(days=7)


@dataclass
class SendReport:
    sent: int = 0
    items: set = field(default_factory=set)
    failed: list = field(default_factory=list)

    @property
    def summary(self):
        return f"sent {self.sent} alerts ({len(self.items)} items), {len(self.failed)} failed"


def _confirmed(topic):
    return (
        Subscription.objects.filter(confirmed_at__isnull=False, **{topic: True})
        .exclude(collectivite__status=Collectivite.Status.ARCHIVED)
        .exclude(collectivite__site__isnull=True)
        .select_related("collectivite__site")
    )


def _banner_audience(banner):
    """Whose site shows it: one site, the member communes of an EPCI, or every site (a
    Pays-wide urgent banner goes to every subscriber of every collectivité)."""
    if banner.site_id:
        return Q(collectivite__site_id=banner.site_id)
    if banner.epci_id:
        return Q(collectivite__epci_id=banner.epci_id)
    return Q()


def _absolute(url, root):
    if not url or url.startswith(("http://", "https://")):
        return url
    return root + url


def _deliver(report, subscription, item, template, context, now, dry_run):
    if dry_run:
        report.sent += 1
        report.items.add(item)
        return
    try:
        with transaction.atomic():
            SentAlert.objects.create(subscription=subscription, item=item)
    except IntegrityError:  # another run sent it meanwhile
        return
    root = subscription.collectivite.site.root_url
    context = {"collectivite": subscription.collectivite, "site_url": root + "/", **context}
    context.update(links(subscription, root))
    try:
        send(template, context, subscription.email)
    except OSError as error:  # SMTP refused or unreachable: the next run tries again
        SentAlert.objects.filter(subscription=subscription, item=item).delete()
        report.failed.append(f"{subscription.pk} {item}: {error}")
        return
    Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
    report.sent += 1
    report.items.add(item)


def _banners(report, now, dry_run):
    banners = Banner.objects.active(now).filter(level=Banner.Level.URGENT)
    for banner in banners.select_related("link_page"):
        item = f"banner:{banner.pk}"
        audience = _confirmed("banners").filter(_banner_audience(banner)).exclude(sent__item=item)
        for subscription in audience:
            root = subscription.collectivite.site.root_url
            context = {"banner": banner, "link": _absolute(banner.link, root)}
            _deliver(report, subscription, item, "banner", context, now, dry_run)


def _meetings(report, now, dry_run):
    meetings = list(
        CouncilMeetingPage.objects.live()
        .public()
        .filter(first_published_at__gte=now - MEETINGS_WINDOW, date__gte=now)
        .order_by("date")
    )
    if not meetings:
        return
    subscribers = _confirmed("meetings")
    homes = dict(
        Collectivite.objects.filter(
            pk__in=subscribers.values("collectivite_id"), home_page__isnull=False
        ).values_list("pk", "home_page__path")
    )
    for meeting in meetings:
        item = f"meeting:{meeting.pk}"
        owners = [pk for pk, path in homes.items() if meeting.path.startswith(path)]
        audience = subscribers.filter(
            collectivite_id__in=owners, confirmed_at__lt=meeting.first_published_at
        ).exclude(sent__item=item)
        context = {"meeting": meeting, "link": meeting.get_full_url()}
        for subscription in audience:
            _deliver(report, subscription, item, "meeting", context, now, dry_run)


def send_alerts(*, now=None, dry_run=False) -> SendReport:
    now = now or timezone.now()
    report = SendReport()
    _banners(report, now, dry_run)
    _meetings(report, now, dry_run)
    return report
