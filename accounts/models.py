"""Invitations of editors: the Pays team invites a secretary or an élu of a collectivité by
email; the link, used once before it expires, lets her choose a username and a password.
Only the hash of the link's token is stored."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secrétariat")
        ELUS = "elus", _("Élus")

    email = models.EmailField(_("adresse électronique"))
    collectivite = models.ForeignKey(
        "communes.Collectivite",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("collectivité"),
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invitée par"),
    )
    # A hand-over: the account suspended when the successor accepts.
    replaces = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("remplace"),
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compte créé"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} — {self.collectivite} ({self.get_role_display()})"

    @property
    def is_used(self):
        return self.accepted_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()
