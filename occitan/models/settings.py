"""What each site chooses about the Occitan section: today, whether its home page shows the
« mot del jorn »."""

import copy

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from serving.cache import cached


@register_setting(icon="comment")
class OccitanSiteSettings(BaseSiteSetting):
    show_word_of_day = models.BooleanField(
        _("afficher le mot du jour en occitan"),
        default=True,
        help_text=_(
            "Le « mot del jorn » sur la page d'accueil : un mot du lexique occitan du Pays, "
            "le même chaque jour sur tous les sites."
        ),
    )

    panels = [FieldPanel("show_word_of_day")]

    class Meta:
        verbose_name = _("occitan")

    @classmethod
    def for_site(cls, site):
        """Read by every home page view: from memory, a fresh copy for each caller."""
        if site is None:
            return cls()

        def build():
            # Reading never writes: a site that never chose gets the defaults, unsaved.
            return cls.base_queryset().filter(site=site).first() or cls(site=site)

        return copy.copy(cached("occitan-settings", [site.pk], build, shared=False))
