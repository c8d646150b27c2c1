"""Legally required pages: the accessibility declaration and the site map."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from serving.pages import CachedPage

from .pages import IntroBodyMixin

AUDIT_VALIDITY_YEARS = 3


class Conformity(models.TextChoices):
    FULL = "totale", _("totalement conforme")
    PARTIAL = "partielle", _("partiellement conforme")
    NONE = "non", _("non conforme")


class AccessibilityPage(IntroBodyMixin, CachedPage):
    """Déclaration d'accessibilité, in the structure of the official model (RGAA)."""

    rgaa_version = models.CharField(_("version du RGAA"), max_length=10, default="4.1.2")
    audit_date = models.DateField(_("date de l'audit"), null=True, blank=True)
    audit_rate = models.DecimalField(
        _("taux de conformité (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    auditor = models.CharField(_("audit réalisé par"), max_length=200, blank=True)
    non_accessible_content = RichTextField(
        _("contenus non accessibles"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    technologies = models.CharField(
        _("technologies utilisées"), max_length=200, default="HTML5, CSS, JavaScript (carte)"
    )
    test_environment = models.TextField(
        _("environnement de test"),
        blank=True,
        default="NVDA et Firefox ; VoiceOver et Safari ; zoom du navigateur à 200 %",
    )
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_address = models.TextField(_("adresse postale"), blank=True)

    template = "communes/pages/accessibility_page.html"
    parent_page_types = ["communes.CollectiviteHomePage", "communes.PortalHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = IntroBodyMixin.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("rgaa_version"), FieldPanel("audit_date")]),
                FieldRowPanel([FieldPanel("audit_rate"), FieldPanel("auditor")]),
                FieldPanel("non_accessible_content"),
                FieldPanel("technologies"),
                FieldPanel("test_environment"),
            ],
            heading=_("Audit"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_address")],
            heading=_("Retour d'information et contact"),
        ),
    ]

    class Meta:
        verbose_name = _("déclaration d'accessibilité")

    @property
    def conformity(self) -> str:
        """Totale, partielle or non: "non" without an audit, with one over 3 years old, or
        under 50 %."""
        if self.audit_date is None or self.audit_rate is None:
            return Conformity.NONE
        limit = timezone.localdate() - datetime.timedelta(days=365 * AUDIT_VALIDITY_YEARS)
        if self.audit_date < limit or self.audit_rate < 50:
            return Conformity.NONE
        return Conformity.FULL if self.audit_rate >= 100 else Conformity.PARTIAL

    @property
    def conformity_label(self):
        return Conformity(self.conformity).label


class SitemapPage(IntroBodyMixin, CachedPage):
    """Plan du site, generated from the live pages."""

    template = "communes/pages/sitemap_page.html"
    parent_page_types = ["communes.CollectiviteHomePage", "communes.PortalHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("plan du site")

    def tree(self):
        """Nested [(page, children)] of the site's live public pages, in menu order."""
        from serving.cache import cached

        return cached("sitemap", [self.pk], self._build_tree, shared=False)

    def _build_tree(self):
        root = self.get_parent()
        pages = list(
            root.get_descendants(inclusive=True)
            .live()
            .public()
            .filter(depth__lte=root.depth + 2)
            .only("title", "path", "depth", "url_path", "numchild")
            .order_by("path")
        )
        nodes = {p.path: (p, []) for p in pages}
        top = []
        for p in pages:
            parent = nodes.get(p.path[: -p.steplen])
            (parent[1] if parent and p.pk != root.pk else top).append(nodes[p.path])
        return top
