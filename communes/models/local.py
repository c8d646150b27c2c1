"""Démarches, vie locale, découvrir: what a resident or a visitor looks for."""

from django.db import models
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from communes import sections
from communes.blocks import LeanStreamField
from communes.panels import InlinePanel
from serving.cache import cached
from serving.pages import CachedPage, site_for_page

from .pages import IntroBodyMixin


class ServicePublicLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"))
    url = blocks.URLBlock(label=_("adresse"), help_text=_("Fiche service-public.fr ou téléservice"))
    online = blocks.BooleanBlock(label=_("démarche en ligne"), required=False)

    class Meta:
        icon = "link-external"
        label = _("Lien service-public.fr")
        template = "communes/blocks/service_public_link.html"
        description = _("Un lien vers une fiche ou un téléservice officiel.")
        preview_value = {
            "title": "Demander un acte de naissance",
            "url": "https://www.service-public.fr/particuliers/vosdroits/F1427",
            "online": True,
        }


class DemarchesIndexPage(RoutablePageMixin, IntroBodyMixin, CachedPage):
    """The démarches of a site: those the mairie handles (its DemarchePage children, first),
    then service-public.fr's themes and fiches, which a section provides ("demarches") and
    which are served below this page on every site: /demarches/F1341/, /demarches/themes/…/.
    A child page naming a fiche takes that fiche's place on its site."""

    template = "communes/pages/demarches_index_page.html"
    parent_page_types = ["communes.CollectiviteHomePage", "communes.PortalHomePage"]
    subpage_types = ["communes.DemarchePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("démarches")

    def pinned(self):
        """[{fiche_id, title, url, summary}] of the live démarches the mairie handles."""

        def build():
            site = site_for_page(self)
            children = DemarchePage.objects.live().public().child_of(self).order_by("path")
            return [
                {
                    "fiche_id": (child.source_fiche or "").strip().upper(),
                    "title": child.title,
                    "url": child.get_url(current_site=site),
                    "summary": child.summary,
                    "category": str(child.get_category_display()),
                }
                for child in children
            ]

        return cached("demarches-pinned", [self.pk, get_language()], build)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["pinned"] = self.pinned()
        provider = sections.provider("demarches")
        context["themes"] = provider.themes(self) if provider else []
        return context

    def _provided(self, request, method, *args):
        provider = sections.provider("demarches")
        response = getattr(provider, method)(self, request, *args) if provider else None
        if response is None:
            raise Http404(_("Cette démarche n'existe pas ou n'est plus publiée."))
        return response

    @path("")
    def index_route(self, request):
        return self.render(request)

    @re_path(r"^(?P<fiche_id>[FNfn][0-9]{1,9})/$", name="fiche")
    def fiche_route(self, request, fiche_id):
        return self._provided(request, "fiche_response", fiche_id.upper())

    @path("themes/<slug:theme>/", name="theme")
    def theme_route(self, request, theme):
        return self._provided(request, "theme_response", theme)


class DemarchePage(CachedPage):
    category = models.CharField(
        _("thème"),
        max_length=40,
        choices=[
            ("etat-civil", _("État civil")),
            ("urbanisme", _("Urbanisme")),
            ("inscriptions", _("Inscriptions (école, listes électorales…)")),
            ("vie-pratique", _("Vie pratique")),
        ],
        default="vie-pratique",
    )
    summary = models.CharField(_("en bref"), max_length=255, blank=True)
    local_specifics = RichTextField(
        _("à la mairie"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Ce qui est propre à la commune : où, quand, quelles pièces."),
    )
    links = LeanStreamField(
        [("link", ServicePublicLinkBlock())], blank=True, verbose_name=_("liens officiels")
    )
    source_fiche = models.CharField(
        _("fiche service-public.fr"), max_length=20, blank=True, help_text=_("Par exemple F1427.")
    )

    template = "communes/pages/demarche_page.html"
    parent_page_types = ["communes.DemarchesIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("category"), FieldPanel("source_fiche")]),
        FieldPanel("summary"),
        FieldPanel("local_specifics"),
        FieldPanel("links"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("local_specifics"),
        index.FilterField("category"),
    ]

    class Meta:
        verbose_name = _("démarche")


class VieLocalePage(IntroBodyMixin, CachedPage):
    template = "communes/pages/vie_locale_page.html"
    parent_page_types = ["communes.CollectiviteHomePage"]
    subpage_types = ["communes.StandardPage"]
    max_count_per_parent = 1

    content_panels = IntroBodyMixin.content_panels + [
        InlinePanel(
            "entries",
            heading=_("Associations, écoles, commerces"),
            label=_("entrée"),
            add_label=_("Ajouter une entrée"),
        ),
    ]
    search_fields = IntroBodyMixin.search_fields + [
        index.RelatedFields(
            "entries", [index.SearchField("name"), index.SearchField("description")]
        ),
    ]

    class Meta:
        verbose_name = _("vie locale")

    def grouped_entries(self):
        groups = {}
        for entry in self.entries.all():
            groups.setdefault(entry.get_kind_display(), []).append(entry)
        return groups.items()


class LocalEntry(Orderable):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Associations")
        SCHOOL = "ecole", _("Écoles")
        SHOP = "commerce", _("Commerces et artisans")
        OTHER = "autre", _("Autres")

    page = ParentalKey(VieLocalePage, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site internet"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldPanel("description"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("entrée")
        verbose_name_plural = _("entrées")

    def __str__(self):
        return self.name


class DiscoverPage(IntroBodyMixin, CachedPage):
    """Découvrir: heritage text and photos."""

    template = "communes/pages/discover_page.html"
    parent_page_types = ["communes.CollectiviteHomePage"]
    subpage_types = ["communes.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("découvrir")
