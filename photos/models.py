"""What the last sync found for each commune: the state the missing-photo report reads."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunePhotoStatus(models.Model):
    """One row per collectivité the sync looked at, rewritten by each run."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("créée")
        UPDATED = "updated", _("mise à jour")
        UNCHANGED = "unchanged", _("inchangée")
        SKIPPED = "skipped", _("ignorée (photo de la commune)")
        MISSING = "missing", _("pas de photo sur Wikidata")
        FAILED = "failed", _("échec")

    collectivite = models.OneToOneField(
        "communes.Collectivite",
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="photo_status",
    )
    wikidata_id = models.CharField(_("identifiant Wikidata"), max_length=20, blank=True)
    photo_file = models.CharField(_("fichier P18"), max_length=255, blank=True)
    arms_file = models.CharField(_("fichier P94 (blason)"), max_length=255, blank=True)
    aerial_file = models.CharField(_("fichier P8592 (vue aérienne)"), max_length=255, blank=True)
    outcome = models.CharField(_("résultat"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("motif"), max_length=400, blank=True)
    synced_at = models.DateTimeField(_("synchronisée le"))

    class Meta:
        verbose_name = _("état de la photo d'une commune")
        verbose_name_plural = _("états des photos des communes")
        indexes = [models.Index(fields=["outcome"])]

    def __str__(self):
        return f"{self.collectivite} — {self.get_outcome_display()}"
