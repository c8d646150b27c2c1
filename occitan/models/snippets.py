"""Themes and speakers: short lists of the Pays, edited as snippets."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class Theme(models.Model):
    """A theme of the lexicon (la maison, la ferme, le temps…): browsed and printed as a
    sheet for schools."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    name_oc = models.CharField(_("nom en occitan"), max_length=80, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    description = models.TextField(_("présentation"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_oc")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("sort_order")]),
        FieldPanel("description"),
    ]

    class Meta:
        verbose_name = _("thème occitan")
        verbose_name_plural = _("thèmes occitans")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Speaker(models.Model):
    """Who is heard in a recording. A synthetic voice is a speaker too, and says so."""

    name = models.CharField(_("nom"), max_length=120)
    place = models.CharField(_("commune"), max_length=120, blank=True)
    about = models.TextField(_("présentation"), blank=True)
    synthetic = models.BooleanField(
        _("voix de synthèse"),
        default=False,
        help_text=_("Cochez pour une voix produite par un logiciel : le site le dit à l'écoute."),
    )
    consent_on = models.DateField(
        _("accord de diffusion le"),
        null=True,
        blank=True,
        help_text=_("Date à laquelle la personne a accepté la diffusion de sa voix."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("place")]),
        FieldPanel("about"),
        FieldRowPanel([FieldPanel("synthetic"), FieldPanel("consent_on")]),
    ]

    class Meta:
        verbose_name = _("locuteur")
        verbose_name_plural = _("locuteurs")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.place})" if self.place else self.name
