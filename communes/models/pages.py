"""Page types of the portal and of the collectivités' sites."""

from django.db import models
from django.http import JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from communes.blocks import LeanStreamField, body_field
from communes.services import finder
from parsing.text import fold
from serving.cache import cached
from serving.pages import CachedPage, site_for_page

from .registry import Collectivite


class IntroBodyMixin(models.Model):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = body_field()

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True


def collectivites_directory():
    """Every provisioned collectivité, A–Z and grouped by EPCI: one query per content
    version, kept as plain values so that listing 160 of them renders quickly."""
    return cached("collectivites-directory", [get_language()], _build_directory)


def _build_directory():
    items = list(
        Collectivite.objects.members()
        .provisioned()
        .select_related("site", "epci")
        .only(
            "name",
            "kind",
            "slug",
            "postcodes",
            "epci__name",
            "outside_epci_name",
            "site__hostname",
            "site__port",
        )
        .order_by("name")
    )

    def entry(item):
        return {"name": item.name, "url": item.url, "postcodes_display": item.postcodes_display}

    by_epci = {}
    for item in items:
        if item.kind == Collectivite.Kind.EPCI:
            by_epci.setdefault(item.name, {"epci": entry(item), "members": []})
    for item in items:
        if item.kind != Collectivite.Kind.EPCI:
            key = item.epci.name if item.epci_id else (item.outside_epci_name or _("Autres"))
            by_epci.setdefault(str(key), {"epci": None, "members": []})["members"].append(
                entry(item)
            )
    groups = [{"name": name, **group} for name, group in sorted(by_epci.items())]
    letters = {}
    for item in items:
        # « Église-Neuve » files under E, as a visitor looking for it expects.
        letters.setdefault(fold(item.name[:1]).upper(), []).append(entry(item))
    # The visitor's language's copy (/en/communes/), else the French original.
    live = CollectiviteIndexPage.objects.live().order_by("path")
    index = live.filter(locale__language_code=get_language()).first() or live.first()
    return {
        "collectivites": [entry(item) for item in items],
        "by_epci": groups,
        "by_letter": sorted(letters.items()),
        # The finder's results page and its suggestions live on the /communes/ page.
        "finder_url": index.get_url(current_site=site_for_page(index)) if index else "",
    }


class PortalHomePage(IntroBodyMixin, CachedPage):
    """The Pays portal: the root of the Pays' own site."""

    template = "communes/pages/portal_home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "communes.CollectiviteIndexPage",
        "communes.PortalAgendaPage",
        "communes.DemarchesIndexPage",
        "communes.AccessibilityPage",
        "communes.SitemapPage",
        "communes.StandardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("accueil du portail du Pays")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(collectivites_directory())
        from communes.services.pays_agenda import upcoming_in_pays

        context["pays_upcoming"] = upcoming_in_pays()
        return context


class PortalAgendaPage(RoutablePageMixin, IntroBodyMixin, CachedPage):
    """/agenda/ on the portal: the events and news the collectivités relay to the Pays,
    filtered by EPCI, collectivité, dates and kind, with their RSS and iCal feeds."""

    template = "communes/pages/portal_agenda_page.html"
    parent_page_types = ["communes.PortalHomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("agenda et actualités du Pays")

    @path("")
    def index_route(self, request):
        from communes.services.pays_agenda import listing

        context, status = listing(request, self)
        response = self.render(request, context_overrides=context)
        response.status_code = status
        return response

    @path("rss/", name="rss")
    def rss(self, request):
        from communes.services.pays_agenda import rss_response

        return rss_response(request, self)

    @path("ical/", name="ical")
    def ical(self, request):
        from communes.services.pays_agenda import ical_response

        return ical_response(request, self)


class CollectiviteIndexPage(RoutablePageMixin, IntroBodyMixin, CachedPage):
    """/communes/ on the portal: every collectivité's home page lives below it. With `?q=`
    it is also the results page of « Trouver ma commune » (communes.services.finder), and
    it answers the finder's suggestions and the communes' map data."""

    template = "communes/pages/collectivite_index_page.html"
    parent_page_types = ["communes.PortalHomePage"]
    subpage_types = ["communes.CollectiviteHomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("annuaire des collectivités")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(collectivites_directory())
        query = request.GET.get("q", "").strip()[: finder.MAX_QUERY]
        if query:
            context["finder_query"] = query
            context["finder_matches"] = finder.find(query, limit=50)
        return context

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("suggestions/", name="suggestions")
    def suggestions_route(self, request):
        response = JsonResponse({"suggestions": finder.suggestions(request.GET.get("q", ""))})
        response["Cache-Control"] = "public, max-age=300"
        return response

    @path("carte/", name="map")
    def map_route(self, request):
        """The collectivités with a position, as GeoJSON, for the map the directory draws."""
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
                "properties": {
                    "name": p.name,
                    "url": p.url,
                    "category_label": p.epci or "",
                    "postcode": ", ".join(p.postcodes),
                },
            }
            for p in finder.places()
            if p.latitude is not None and p.longitude is not None
        ]
        response = JsonResponse({"type": "FeatureCollection", "features": features})
        response["Content-Type"] = "application/geo+json"
        response["Cache-Control"] = "public, max-age=300"
        return response


class QuickLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("page"))
    label = blocks.CharBlock(label=_("libellé"), required=False)

    class Meta:
        icon = "link"
        label = _("Accès rapide")
        template = "communes/blocks/quick_link.html"
        description = _("Un lien vers une démarche ou une page très demandée.")


class CollectiviteHomePage(IntroBodyMixin, CachedPage):
    """Home page of a commune (or EPCI, syndicat): the root of its own site."""

    photo = models.ForeignKey(
        "communes.SiteImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quick_links = LeanStreamField(
        [("link", QuickLinkBlock())], blank=True, verbose_name=_("accès rapides")
    )

    template = "communes/pages/collectivite_home_page.html"
    parent_page_types = ["communes.CollectiviteIndexPage"]
    subpage_types = [
        "communes.MairiePage",
        "communes.CouncilIndexPage",
        "communes.BulletinIndexPage",
        "communes.NewsIndexPage",
        "communes.EventIndexPage",
        "communes.DemarchesIndexPage",
        "communes.VieLocalePage",
        "communes.DiscoverPage",
        "communes.ContactPage",
        "communes.AccessibilityPage",
        "communes.SitemapPage",
        "communes.StandardPage",
    ]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("photo"),
        FieldPanel("quick_links"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("accueil d'une collectivité")

    def get_context(self, request, *args, **kwargs):
        from communes.services.home import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self))
        return context


class StandardPage(IntroBodyMixin, CachedPage):
    template = "communes/pages/standard_page.html"
    subpage_types = ["communes.StandardPage"]

    class Meta:
        verbose_name = _("page standard")

    def get_context(self, request, *args, **kwargs):
        from communes.services.retention import PERSONAL_DATA_SLUG, retention_months

        context = super().get_context(request, *args, **kwargs)
        if self.slug == PERSONAL_DATA_SLUG:
            # From the setting the purge uses, so that the page stays true when it changes.
            context["form_retention_months"] = retention_months()
        return context
