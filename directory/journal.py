"""The journal of directory imports: one row per run, what it did and what it covered."""

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """What one import did, for the Pays team's journal."""

    class Result(models.TextChoices):
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        REJECTED = "rejected", _("fichier refusé")
        FAILED = "failed", _("échec")
        # Records written; what the input lacks is archived only once confirmed.
        UNCONFIRMED = "unconfirmed", _("archivage à confirmer")

    source = models.CharField(_("source"), max_length=60)
    label = models.CharField(_("fichier ou adresse"), max_length=500, blank=True)
    dry_run = models.BooleanField(_("essai à blanc"), default=False)
    started_at = models.DateTimeField(_("début"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    result = models.CharField(
        _("résultat"), max_length=20, choices=Result.choices, default=Result.RUNNING
    )
    counts = models.JSONField(_("décompte"), default=dict, blank=True)
    rejected = models.JSONField(_("lignes refusées"), default=list, blank=True)
    skipped = models.JSONField(_("enregistrements laissés de côté"), default=list, blank=True)
    warnings = models.JSONField(_("champs ignorés"), default=list, blank=True)
    scope = models.TextField(
        _("périmètre"),
        blank=True,
        help_text=_("Ce que le fichier couvre entièrement, donc ce que l'import peut archiver."),
    )
    message = models.TextField(_("message"), blank=True)
    user = models.ForeignKey(
        "auth.User",
        verbose_name=_("lancé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import de l'annuaire")
        verbose_name_plural = _("journal des imports")

    def __str__(self):
        return f"{self.source}, {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"

    @property
    def summary(self):
        """The counts in words: « 4 créés, 0 mis à jour, 12 inchangés… — périmètre »."""
        from directory.services.import_report import counts_in_words

        line = counts_in_words(self.counts)
        return f"{line} — {self.scope}" if self.scope else line

    summary.fget.short_description = _("résumé")

    @property
    def dry_run_label(self):
        return _("oui") if self.dry_run else _("non")

    dry_run_label.fget.short_description = _("essai à blanc")

    # The inspect view shows get_<field>_display(): words, not Python's False, None and [].
    def get_dry_run_display(self):
        return self.dry_run_label

    def get_counts_display(self):
        from directory.services.import_report import counts_in_words

        return counts_in_words(self.counts)

    def get_rejected_display(self):
        return "; ".join(self.rejected) or _("aucune")

    def get_skipped_display(self):
        return "; ".join(self.skipped) or _("aucun")

    def get_warnings_display(self):
        return "; ".join(self.warnings) or _("aucun")

    def get_scope_display(self):
        return self.scope or _("non précisé")

    def get_message_display(self):
        return self.message or "—"

    def get_user_display(self):
        return self.user or _("une commande (sans utilisateur)")

    def get_finished_at_display(self):
        if self.finished_at is None:
            return _("pas encore")
        return date_format(timezone.localtime(self.finished_at), "DATETIME_FORMAT")
