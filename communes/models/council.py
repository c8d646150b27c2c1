"""Conseil municipal: meetings with agenda, minutes and deliberations; a yearly archive."""

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from communes.panels import InlinePanel
from serving.clock import changes_at, just_after
from serving.pages import CachedPage

from .pages import IntroBodyMixin


class CouncilIndexPage(IntroBodyMixin, CachedPage):
    menu_needs_children = True  # in the site menu once it lists something (site_menu)
    template = "communes/pages/council_index_page.html"
    parent_page_types = ["communes.CollectiviteHomePage"]
    subpage_types = ["communes.CouncilMeetingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("conseil municipal")

    def meetings(self):
        return CouncilMeetingPage.objects.child_of(self).live().public().order_by("-date")

    def get_context(self, request, *args, **kwargs):
        from serving.cache import cached

        context = super().get_context(request, *args, **kwargs)
        # Read once per content version; which are to come is decided at each view.
        meetings = cached("council-meetings", [self.pk], lambda: list(self.meetings()), False)
        years = sorted({m.date.year for m in meetings}, reverse=True)
        year = request.GET.get("annee", "")
        # Not str.isdigit(): it takes "²" and 5000-digit strings, which int() refuses.
        if len(year) == 4 and year.isascii() and year.isdigit() and int(year) in years:
            meetings = [m for m in meetings if m.date.year == int(year)]
            context["year"] = int(year)
        now = timezone.now()
        context["upcoming"] = [m for m in meetings if m.date >= now][::-1]
        # The next meeting moves from « Prochaines séances » to the past ones when it starts.
        changes_at(
            just_after(context["upcoming"][0].date) if context["upcoming"] else None, "séances"
        )
        context["past"] = [m for m in meetings if m.date < now]
        context["years"] = years
        return context


class CouncilMeetingPage(CachedPage):
    date = models.DateTimeField(_("date et heure de la séance"))
    place = models.CharField(_("lieu"), max_length=200, blank=True, default="Salle du conseil")
    agenda = RichTextField(_("ordre du jour"), blank=True, features=["bold", "italic", "ol", "ul"])
    minutes = models.ForeignKey(
        "communes.SiteDocument",
        verbose_name=_("procès-verbal (PDF)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = RichTextField(_("compte rendu"), blank=True, features=["bold", "italic", "ol", "ul"])

    template = "communes/pages/council_meeting_page.html"
    parent_page_types = ["communes.CouncilIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("place")]),
        FieldPanel("agenda"),
        MultiFieldPanel(
            [FieldPanel("minutes"), FieldPanel("summary")], heading=_("Après la séance")
        ),
        InlinePanel(
            "deliberations",
            heading=_("Délibérations"),
            label=_("délibération"),
            add_label=_("Ajouter une délibération"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("agenda"),
        index.SearchField("summary"),
        index.FilterField("date"),
        index.RelatedFields("deliberations", [index.SearchField("title")]),
    ]

    class Meta:
        verbose_name = _("séance du conseil")
        verbose_name_plural = _("séances du conseil")
        ordering = ["-date"]

    @cached_property
    def is_past(self):
        now = timezone.now()
        if self.date >= now:
            changes_at(just_after(self.date), "séance passée")
        return self.date < now


class Deliberation(Orderable):
    page = ParentalKey(CouncilMeetingPage, on_delete=models.CASCADE, related_name="deliberations")
    number = models.CharField(_("numéro"), max_length=30, blank=True)
    title = models.CharField(_("objet"), max_length=255)
    vote = models.CharField(
        _("vote"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple : unanimité, 11 pour, 2 contre."),
    )
    document = models.ForeignKey(
        "communes.SiteDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("vote")]),
        FieldPanel("title"),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("délibération")
        verbose_name_plural = _("délibérations")

    def __str__(self):
        return self.title
