import copy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from serving.cache import cached
from themes.contrast import AA_TEXT, contrast_ratio
from themes.themes import DEFAULT_THEME, THEME_CHOICES, THEMES


@register_setting(icon="view")
class ThemeSettings(BaseSiteSetting):
    """How one site looks: a theme, its main colour, a logo and a favicon."""

    theme = models.CharField(
        _("thème"), max_length=20, choices=THEME_CHOICES, default=DEFAULT_THEME
    )
    primary_color = models.CharField(
        _("couleur principale"),
        max_length=7,
        blank=True,
        help_text=_(
            "Code hexadécimal, par exemple #8a4513. Elle sert aux liens et aux boutons : "
            "elle doit rester lisible sur le fond (contraste d'au moins 4,5:1)."
        ),
    )
    logo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    favicon = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("favicon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Une image carrée, au moins 64 × 64 pixels."),
    )

    panels = [
        FieldPanel("theme"),
        FieldPanel("primary_color"),
        FieldPanel("logo"),
        FieldPanel("favicon"),
    ]

    class Meta:
        verbose_name = _("apparence du site")

    @classmethod
    def for_site(cls, site):
        """Every page view reads these: from memory, a fresh copy for each caller."""
        if site is None:
            return super().for_site(site)

        def build():
            # Reading never writes: a site nobody has styled yet gets the defaults, unsaved
            # (the admin saves them the first time someone edits them).
            instance = cls.base_queryset().filter(site=site).first() or cls(site=site)
            # Resolve the images now, so that rendering costs no query.
            _ = instance.logo, instance.favicon
            return instance

        return copy.copy(cached("theme-settings", [site.pk], build, shared=False))

    def clean(self):
        super().clean()
        if not self.primary_color:
            return
        color = self.primary_color.strip().lower()
        if not color.startswith("#"):
            color = f"#{color}"
        try:
            tokens = THEMES[self.theme].tokens
            ratios = [
                contrast_ratio(color, tokens["color-bg"]),
                contrast_ratio(color, tokens["color-surface"]),
                contrast_ratio(tokens["color-primary-contrast"], color),
            ]
        except ValueError as exc:
            raise ValidationError(
                {
                    "primary_color": _("« %s » n'est pas une couleur (attendu : #rrggbb).")
                    % self.primary_color
                }
            ) from exc
        worst = min(ratios)
        if worst < AA_TEXT:
            raise ValidationError(
                {
                    "primary_color": _(
                        "Contraste insuffisant : %(ratio).1f:1 (il faut au moins 4,5:1 pour "
                        "du texte, WCAG AA). Choisissez une couleur plus foncée."
                    )
                    % {"ratio": worst}
                }
            )
        self.primary_color = color

    @property
    def theme_object(self):
        return THEMES.get(self.theme, THEMES[DEFAULT_THEME])

    @property
    def favicon_path(self):
        """The theme's own icon (a static file), when the site has not uploaded one."""
        return f"themes/favicons/{self.theme_object.key}.svg"

    @property
    def css_variables(self):
        return self.theme_object.css_variables(self.primary_color or None)

    @property
    def stylesheet_path(self):
        """Where these tokens are served as a stylesheet (themes/stylesheet.py)."""
        from themes.stylesheet import path_for

        return path_for(self)
