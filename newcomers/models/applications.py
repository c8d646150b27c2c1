"""Applications sent through the « Candidater » form, and the partners they are routed to.

The Pays does not follow a candidate itself: the chamber of its sector does (Chambre
d'agriculture, Chambre de métiers, CCI, the health partner). The routing table is the list of
partners with the sectors each follows, edited by the Pays team. An application keeps a copy
of the partner's name and address as they were when it was routed, so that a partner removed
later (deactivated or deleted) takes none of the past applications with it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from newcomers.models.sectors import Sector


class Timeframe(models.TextChoices):
    SOON = "6-mois", _("Dans les 6 mois")
    YEAR = "1-an", _("D'ici un an")
    TWO_YEARS = "2-ans", _("D'ici deux ans")
    OPEN = "ouvert", _("Je ne sais pas encore")


class Partner(models.Model):
    """A partner who follows candidates of some sectors: one line of the routing table."""

    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("courriel"))
    sectors = models.JSONField(_("secteurs suivis"), default=list, blank=True)
    active = models.BooleanField(
        _("actif"),
        default=True,
        help_text=_("Un partenaire inactif ne reçoit plus de candidatures."),
    )

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires (aiguillage des candidatures)")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def sector_labels(self):
        labels = dict(Sector.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.sectors)

    sector_labels.short_description = _("secteurs suivis")


class ApplicationQuerySet(models.QuerySet):
    def expired(self, cutoff):
        return self.filter(created_at__lt=cutoff)


class Application(models.Model):
    class Status(models.TextChoices):
        NEW = "nouvelle", _("Nouvelle")
        SENT = "transmise", _("Transmise")
        IN_PROGRESS = "en_cours", _("En cours")
        CLOSED = "close", _("Close")

    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True, db_index=True)
    language = models.CharField(_("langue du candidat"), max_length=8, choices=settings.LANGUAGES)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("formulaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    situation = models.TextField(_("situation actuelle"), max_length=2000)
    project = models.TextField(_("projet"), max_length=4000)
    sector = models.CharField(_("secteur"), max_length=16, choices=Sector.choices)
    timeframe = models.CharField(_("échéance"), max_length=16, choices=Timeframe.choices)
    areas = models.ManyToManyField(
        "communes.Collectivite",
        verbose_name=_("territoires souhaités"),
        blank=True,
        related_name="+",
    )
    offer = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("offre de reprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offer_title = models.CharField(_("titre de l'offre"), max_length=255, blank=True)
    name = models.CharField(_("nom et prénom"), max_length=150)
    email = models.EmailField(_("courriel"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partenaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    # What the application was sent to, kept whatever becomes of the partner.
    partner_name = models.CharField(_("transmise à"), max_length=150)
    partner_email = models.EmailField(_("adresse de transmission"))
    routed_to_pays = models.BooleanField(
        _("sans partenaire pour ce secteur"),
        default=False,
        help_text=_("Aucun partenaire actif ne suivait ce secteur : envoyée au Pays."),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} — {self.get_sector_display()}"

    def sent_to_pays(self):
        return _("Oui") if self.routed_to_pays else _("Non")

    sent_to_pays.short_description = _("sans partenaire pour ce secteur")

    def area_names(self):
        return ", ".join(area.name for area in self.areas.all())

    area_names.short_description = _("territoires souhaités")
