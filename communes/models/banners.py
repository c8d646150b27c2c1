"""Bandeaux: dated announcements shown on every page of a site, of an EPCI's sites, or all."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin


class BannerQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(live=True, start__lte=at, end__gt=at)

    def for_site(self, site, collectivite=None):
        """Banners of this site, of its EPCI, and of the whole Pays."""
        scope = Q(site=site) | Q(site__isnull=True, epci__isnull=True)
        if collectivite is not None and collectivite.epci_id:
            scope |= Q(site__isnull=True, epci_id=collectivite.epci_id)
        return self.filter(scope)


class Banner(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    class Level(models.TextChoices):
        INFO = "info", _("Information")
        IMPORTANT = "important", _("Important")
        URGENT = "urgent", _("Urgent")

    title = models.CharField(_("titre"), max_length=120)
    text = models.CharField(_("texte"), max_length=400, blank=True)
    link_url = models.URLField(_("lien"), blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("ou page liée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices, default=Level.INFO)
    start = models.DateTimeField(_("affiché à partir du"), default=timezone.now)
    end = models.DateTimeField(_("jusqu'au"))
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="banners",
        help_text=_("Vide : tous les sites (ou ceux de l'EPCI choisi)."),
    )
    epci = models.ForeignKey(
        "communes.Collectivite",
        verbose_name=_("tous les sites de l'EPCI"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "epci"},
    )

    objects = BannerQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("level")]),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("link_url"), FieldPanel("link_page")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        MultiFieldPanel([FieldPanel("site"), FieldPanel("epci")], heading=_("Où l'afficher")),
    ]

    class Meta:
        verbose_name = _("bandeau")
        verbose_name_plural = _("bandeaux")
        ordering = ["-start"]
        indexes = [models.Index(fields=["live", "start", "end"])]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fin doit suivre le début.")})
        if self.site_id and self.epci_id:
            raise ValidationError(_("Choisissez un site, ou un EPCI, pas les deux."))

    @property
    def scope_label(self):
        """Where the banner shows, in words: a site, an EPCI's sites, or every site."""
        if self.site_id:
            return self.site.site_name or self.site.hostname
        if self.epci_id:
            return _("Sites de %(epci)s") % {"epci": self.epci.name}
        return _("Tous les sites du Pays")

    @property
    def link(self):
        if self.link_page_id:
            return self.link_page.url
        return self.link_url
