"""Residents' subscriptions to a collectivité's alerts: double opt-in, one click to leave."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_urlsafe(12)


class Subscription(models.Model):
    email = models.EmailField(_("adresse électronique"))
    collectivite = models.ForeignKey(
        "communes.Collectivite",
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    banners = models.BooleanField(_("bandeaux urgents"), default=True)
    meetings = models.BooleanField(_("séances du conseil"), default=True)
    # Signed into the links (alerts.services.tokens): a new subscription after leaving gets
    # a new key, so the links of the old one stay dead.
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("dernière alerte le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement aux alertes")
        verbose_name_plural = _("abonnements aux alertes")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "collectivite"], name="alerts_one_subscription_per_address"
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class SentAlert(models.Model):
    """One item sent to one subscriber: nothing is ever sent twice (a banner edited after it
    went out, or seen again by the next scheduled run, is not news)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sent")
    item = models.CharField(max_length=40)  # "banner:<pk>" or "meeting:<page pk>"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "item"], name="alerts_sent_once")
        ]
