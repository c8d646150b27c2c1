"""What the background checker found on each site's published pages (quality.services.links).

One row per problem still present: a run updates `last_seen` of what it finds again and
deletes what it no longer finds, so the table is the current state, never a growing log.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkIssue(models.Model):
    class Kind(models.TextChoices):
        BROKEN_LINK = "broken_link", _("Lien cassé")
        IMAGE_WITHOUT_ALT = "image_without_alt", _("Image sans texte alternatif")
        INACCESSIBLE_DOCUMENT = "inaccessible_document", _("Document non accessible")

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="quality_issues",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    # The link's address, or the image's / document's admin address.
    url = models.CharField(_("adresse"), max_length=2000)
    label = models.CharField(_("libellé"), max_length=255, blank=True)
    status_code = models.PositiveSmallIntegerField(_("code HTTP"), null=True, blank=True)
    detail = models.CharField(_("détail"), max_length=255, blank=True)
    first_seen = models.DateTimeField(_("vu la première fois"), auto_now_add=True)
    last_seen = models.DateTimeField(_("vu la dernière fois"))

    class Meta:
        verbose_name = _("problème de qualité")
        verbose_name_plural = _("problèmes de qualité")
        indexes = [models.Index(fields=["site", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.url}"


class CheckedUrl(models.Model):
    """The last answer of an outside address: requested once a run whatever the number of
    pages and sites linking to it, and not again within QUALITY_LINKS_RECHECK_HOURS."""

    url = models.CharField(_("adresse"), max_length=2000, unique=True)
    host = models.CharField(_("hôte"), max_length=255, db_index=True)
    status_code = models.PositiveSmallIntegerField(_("code HTTP"), null=True, blank=True)
    # None: not checked (robots.txt forbids it, or the address is refused).
    ok = models.BooleanField(_("répond"), null=True)
    detail = models.CharField(_("détail"), max_length=255, blank=True)
    checked_at = models.DateTimeField(_("vérifiée le"))

    class Meta:
        verbose_name = _("adresse vérifiée")
        verbose_name_plural = _("adresses vérifiées")

    def __str__(self):
        return self.url


class CheckedDocument(models.Model):
    """Whether a file has text a screen reader can read, by its hash: a PDF is read once,
    not at every run, and again only when its file changes."""

    file_hash = models.CharField(_("empreinte du fichier"), max_length=40, unique=True)
    # None: the file could not be read (encrypted, broken).
    has_text = models.BooleanField(_("contient du texte"), null=True)
    detail = models.CharField(_("détail"), max_length=255, blank=True)
    checked_at = models.DateTimeField(_("vérifié le"), auto_now=True)

    class Meta:
        verbose_name = _("document vérifié")
        verbose_name_plural = _("documents vérifiés")

    def __str__(self):
        return self.file_hash
