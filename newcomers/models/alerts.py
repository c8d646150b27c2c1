"""Subscriptions to the « nouvelles offres » alert: double opt-in, one click to leave."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferAlertSubscription(models.Model):
    email = models.EmailField(_("adresse électronique"), unique=True)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    # Offers published after this moment are the next alert's news.
    notified_until = models.DateTimeField(_("offres envoyées jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement aux nouvelles offres")
        verbose_name_plural = _("abonnements aux nouvelles offres")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None
