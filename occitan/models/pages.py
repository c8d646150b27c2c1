"""The section's one page: /occitan/ on the portal, the lexicon browsed, searched and heard.

Everything below it is a route of this page (letters, themes and their printable sheets,
words, expressions): the lexicon lives in snippets, not in pages, and each route reads it
through occitan.services.pages, cached under the content version.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from serving.pages import CachedPage


class OccitanIndexPage(RoutablePageMixin, CachedPage):
    """/occitan/: search both ways, browse A–Z and by theme, the expressions."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    template = "occitan/pages/index.html"
    parent_page_types = ["communes.PortalHomePage"]
    subpage_types = []
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("lexique occitan")

    @route_path("")
    def index_route(self, request):
        from occitan import views

        return views.index(request, self)

    @route_path("lettre/<str:letter>/", name="letter")
    def letter_route(self, request, letter):
        from occitan import views

        return views.letter(request, self, letter)

    @route_path("themes/<slug:slug>/", name="theme")
    def theme_route(self, request, slug):
        from occitan import views

        return views.theme(request, self, slug)

    @route_path("themes/<slug:slug>/fiche/", name="sheet")
    def sheet_route(self, request, slug):
        from occitan import views

        return views.theme(request, self, slug, sheet=True)

    @route_path("mot/<slug:slug>/", name="entry")
    def entry_route(self, request, slug):
        from occitan import views

        return views.entry(request, self, slug)

    @route_path("expressions/", name="expressions")
    def expressions_route(self, request):
        from occitan import views

        return views.expressions(request, self)

    @route_path("expressions/<slug:slug>/", name="expression")
    def expression_route(self, request, slug):
        from occitan import views

        return views.expression(request, self, slug)
