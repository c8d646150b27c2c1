"""The « nouvelles offres » alert: double opt-in, and one email per subscriber listing the
offers published since the last one, each email with its unsubscribe link.

Links carry signed tokens (django.core.signing, with "/" for its ":"): a confirmation link
is valid for CONFIRM_DAYS; an unsubscribe link for as long as the subscription exists.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.models import Locale

from newcomers.models import OfferAlertSubscription, OfferIndexPage, OfferPage

SALT = "newcomers.alerts"
CONFIRM_DAYS = 7


def make_token(subscription, action):
    # Wagtail's page URLs take letters, digits, "-" and "_" between slashes: the signer's
    # separator ":" becomes "/" in links.
    token = signing.dumps({"s": subscription.pk, "a": action}, salt=SALT, compress=True)
    return token.replace(":", "/")


def read_token(token, action):
    """The subscription a token names, or None (forged, expired, or gone)."""
    max_age = CONFIRM_DAYS * 86400 if action == "confirm" else None
    try:
        data = signing.loads(token.replace("/", ":"), salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != action:
        return None
    return OfferAlertSubscription.objects.filter(pk=data.get("s")).first()


def _links(index, subscription, base_url):
    url = base_url.rstrip("/") + "/"
    return {
        "confirm_url": url
        + index.reverse_subpage("alert-confirm", args=[make_token(subscription, "confirm")]),
        "unsubscribe_url": url
        + index.reverse_subpage("alert-unsubscribe", args=[make_token(subscription, "stop")]),
    }


def _send(template, subscription, context, to):
    with translation.override(subscription.language):
        subject = render_to_string(f"newcomers/emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"newcomers/emails/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
    )
    message.send()


def request_subscription(email, language, index, base_url):
    """Record the address (unconfirmed) and send the confirmation link. An address already
    confirmed gets nothing: the answer on screen is the same, so it reveals no subscriber."""
    email = email.strip().lower()
    with transaction.atomic():
        subscription, _created = OfferAlertSubscription.objects.get_or_create(
            email=email, defaults={"language": language}
        )
        if subscription.is_confirmed:
            return subscription
        if subscription.language != language:
            subscription.language = language
            subscription.save(update_fields=["language"])
    context = {"index": index, "days": CONFIRM_DAYS, **_links(index, subscription, base_url)}
    _send("confirm", subscription, context, email)
    return subscription


def confirm(subscription):
    if not subscription.is_confirmed:
        now = timezone.now()
        subscription.confirmed_at = now
        subscription.notified_until = now
        subscription.save(update_fields=["confirmed_at", "notified_until"])
    return subscription


def unsubscribe(subscription):
    """Forget the address altogether: nothing is kept of someone who left."""
    subscription.delete()


@dataclass
class AlertReport:
    subscribers: int = 0
    sent: int = 0
    offers: set = field(default_factory=set)
    failed: list = field(default_factory=list)

    @property
    def summary(self):
        return (
            f"sent {self.sent} of {self.subscribers} confirmed subscribers, "
            f"{len(self.offers)} new offers, {len(self.failed)} failed"
        )


def send_new_offer_alerts(*, now=None, dry_run=False) -> AlertReport:
    """To every confirmed subscriber, the current offers first published since their last
    alert. A subscriber whose email fails is tried again next time."""
    now = now or timezone.now()
    report = AlertReport()
    # The French listing: the offers are written in French, translated pages list none.
    index = OfferIndexPage.objects.live().public().filter(locale=Locale.get_default()).first()
    if index is None:
        return report
    base_url = index.get_full_url()
    new = list(
        OfferPage.objects.current()
        .child_of(index)
        .filter(first_published_at__lte=now)
        .select_related("commune")
        .order_by("first_published_at", "pk")
    )
    for offer in new:
        offer.link = f"{base_url}{offer.slug}/"
    subscriptions = OfferAlertSubscription.objects.filter(confirmed_at__isnull=False)
    for subscription in subscriptions.iterator():
        report.subscribers += 1
        since = subscription.notified_until or subscription.confirmed_at
        offers = [o for o in new if o.first_published_at > since]
        if not offers:
            continue
        report.offers.update(o.pk for o in offers)
        if dry_run:
            report.sent += 1
            continue
        context = {"index": index, "offers": offers, **_links(index, subscription, base_url)}
        try:
            _send("new_offers", subscription, context, subscription.email)
        except OSError as error:  # SMTP refused or unreachable: try again next run
            report.failed.append(f"{subscription.email}: {error}")
            continue
        OfferAlertSubscription.objects.filter(pk=subscription.pk).update(notified_until=now)
        report.sent += 1
    return report
