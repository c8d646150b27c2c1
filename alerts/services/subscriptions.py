"""Subscribing (double opt-in), confirming, leaving, and forgetting the unconfirmed.

Links carry signed tokens (django.core.signing, an HMAC with SECRET_KEY): a confirmation link
is valid for CONFIRM_DAYS; an unsubscribe link for as long as the subscription exists. A
token names the subscription and its random key, so the links of a subscription that was
left and asked for again are dead.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from alerts.services.mail import send

SALT = "alerts.subscriptions"
CONFIRM_DAYS = 7
CONFIRM, STOP = "confirm", "stop"


def make_token(subscription, action):
    return signing.dumps(
        {"s": subscription.pk, "k": subscription.key, "a": action}, salt=SALT, compress=True
    )


def read_token(token, action, collectivite_id):
    """The subscription a token names on this collectivité's site, or None (forged,
    expired, gone, or another site's)."""
    max_age = CONFIRM_DAYS * 86400 if action == CONFIRM else None
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != action or not isinstance(data.get("s"), int):
        return None
    return Subscription.objects.filter(
        pk=data["s"], key=str(data.get("k")), collectivite_id=collectivite_id
    ).first()


def links(subscription, root_url):
    """The absolute confirmation and unsubscribe links of a subscription, on its site.
    The French paths: emails are in French, whatever the language of the form."""
    from django.utils import translation

    root = root_url.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        confirm = reverse("alerts:confirm", args=[make_token(subscription, CONFIRM)])
        stop = reverse("alerts:unsubscribe", args=[make_token(subscription, STOP)])
    return {"confirm_url": root + confirm, "unsubscribe_url": root + stop}


def request_subscription(email, collectivite, *, banners, meetings, root_url):
    """Record the address (unconfirmed) and send the confirmation link. An address already
    confirmed gets nothing new: the answer on screen is the same, so it reveals nobody."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            subscription, created = Subscription.objects.get_or_create(
                email=email,
                collectivite_id=collectivite.pk,
                defaults={"banners": banners, "meetings": meetings},
            )
    except IntegrityError:  # the same address, twice at once: the first one answers
        return None
    if subscription.is_confirmed:
        return subscription
    if not created and (subscription.banners, subscription.meetings) != (banners, meetings):
        subscription.banners, subscription.meetings = banners, meetings
        subscription.save(update_fields=["banners", "meetings"])
    context = {
        "collectivite": collectivite,
        "subscription": subscription,
        "days": CONFIRM_DAYS,
        **links(subscription, root_url),
    }
    send("confirm", context, email)
    return subscription


def confirm(subscription):
    """Confirm it; the urgent banners in force go out at the next run (the caller queues
    one after commit)."""
    if not subscription.is_confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def unsubscribe(subscription):
    """Forget the address altogether (and what was sent to it): nothing is kept of someone
    who left."""
    subscription.delete()


@dataclass
class PurgeReport:
    erased: int = 0
    dry_run: bool = False

    @property
    def summary(self):
        verb = "would erase" if self.dry_run else "erased"
        return f"{verb} {self.erased} unconfirmed alert subscriptions"


def purge_unconfirmed(now=None, dry_run=False) -> PurgeReport:
    """Erase the subscriptions never confirmed within ALERTS_UNCONFIRMED_RETENTION_DAYS."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ALERTS_UNCONFIRMED_RETENTION_DAYS)
    expired = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=limit)
    if dry_run:
        return PurgeReport(erased=expired.count(), dry_run=True)
    _total, by_model = expired.delete()
    return PurgeReport(erased=by_model.get(Subscription._meta.label, 0))
