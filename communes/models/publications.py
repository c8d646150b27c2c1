"""What a mairie publishes over time: bulletins, news, events."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from serving.clock import changes_at, just_after
from serving.pages import CachedPage

from .pages import IntroBodyMixin

IMAGE = "communes.SiteImage"
DOCUMENT = "communes.SiteDocument"


class RelayToPortalMixin(models.Model):
    """Each item says whether it goes up to the Pays' agenda and news (the portal's
    PortalAgendaPage). Ticked by default: a commune's news and events are the Pays' news,
    unless the secretary keeps one local (a canteen's registration, a road closure)."""

    relay_to_portal = models.BooleanField(
        _("relayer sur le portail du Pays"),
        default=True,
        help_text=_(
            "Paraît aussi dans l'agenda et les actualités du portail du Pays. Décochez pour "
            "ne le montrer que sur le site de la collectivité."
        ),
    )

    promote_panels = Page.promote_panels + [
        MultiFieldPanel([FieldPanel("relay_to_portal")], heading=_("Portail du Pays"))
    ]

    class Meta:
        abstract = True


class BulletinIndexPage(IntroBodyMixin, CachedPage):
    menu_needs_children = True  # in the site menu once it lists something (site_menu)
    template = "communes/pages/bulletin_index_page.html"
    parent_page_types = ["communes.CollectiviteHomePage"]
    subpage_types = ["communes.BulletinPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("bulletins municipaux")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["bulletins"] = (
            BulletinPage.objects.child_of(self)
            .live()
            .public()
            .select_related("document", "cover")
            .order_by("-date")
        )
        return context


class BulletinPage(CachedPage):
    date = models.DateField(_("date de parution"), default=timezone.localdate)
    number = models.CharField(_("numéro"), max_length=30, blank=True)
    document = models.ForeignKey(
        DOCUMENT,
        verbose_name=_("bulletin (PDF)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover = models.ForeignKey(
        IMAGE,
        verbose_name=_("couverture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("sommaire"), blank=True)

    template = "communes/pages/bulletin_page.html"
    parent_page_types = ["communes.BulletinIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("number")]),
        FieldPanel("document"),
        FieldPanel("cover"),
        FieldPanel("summary"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    class Meta:
        verbose_name = _("bulletin municipal")


class NewsIndexPage(RoutablePageMixin, IntroBodyMixin, CachedPage):
    menu_needs_children = True  # in the site menu once it lists something (site_menu)
    template = "communes/pages/news_index_page.html"
    parent_page_types = ["communes.CollectiviteHomePage"]
    subpage_types = ["communes.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("actualités")

    def news(self):
        return NewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")

    @path("")
    def index_route(self, request):
        return self.render(request, context_overrides={"news": self.news()[:30]})

    @path("rss/", name="rss")
    def rss(self, request):
        from communes.services.feeds import news_feed

        return news_feed(request, self)


class NewsPage(RelayToPortalMixin, IntroBodyMixin, CachedPage):
    date = models.DateField(_("date"), default=timezone.localdate)
    image = models.ForeignKey(
        IMAGE, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    template = "communes/pages/news_page.html"
    parent_page_types = ["communes.NewsIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("image"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = IntroBodyMixin.search_fields + [index.FilterField("date")]

    class Meta:
        verbose_name = _("actualité")


class EventIndexPage(RoutablePageMixin, IntroBodyMixin, CachedPage):
    menu_needs_children = True  # in the site menu once it lists something (site_menu)
    template = "communes/pages/event_index_page.html"
    parent_page_types = ["communes.CollectiviteHomePage"]
    subpage_types = ["communes.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("agenda")

    def events(self):
        return EventPage.objects.child_of(self).live().public()

    @path("")
    def index_route(self, request):
        from serving.cache import cached

        now = timezone.now()
        events = self.events()
        show_past = request.GET.get("passes") == "1"
        if show_past:
            listing = events.filter(end__lt=now).order_by("-start")[:50]
        else:
            # Read once per content version; those that have ended drop out at each view.
            upcoming = cached(
                "agenda",
                [self.pk],
                lambda: list(events.filter(end__gte=now).order_by("start")),
                shared=False,
            )
            listing = [event for event in upcoming if event.end >= now]
            changes_at(just_after(min((e.end for e in listing), default=None)), "agenda")
        return self.render(request, context_overrides={"events": listing, "show_past": show_past})

    @path("ical/", name="ical")
    def ical(self, request):
        from communes.services.ical import calendar_response

        since = timezone.now() - timezone.timedelta(days=90)
        site = self.get_site()
        events = self.events().filter(end__gte=since).order_by("start")
        return calendar_response(
            request, events, filename=f"agenda-{site.hostname}.ics", name=site.site_name
        )


class EventPage(RoutablePageMixin, RelayToPortalMixin, IntroBodyMixin, CachedPage):
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    image = models.ForeignKey(
        IMAGE, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    template = "communes/pages/event_page.html"
    parent_page_types = ["communes.EventIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("place"),
        FieldPanel("image"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = IntroBodyMixin.search_fields + [
        index.SearchField("place"),
        index.FilterField("start"),
    ]

    class Meta:
        verbose_name = _("événement")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("La fin précède le début.")})

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("ical/", name="ical")
    def ical(self, request):
        from communes.services.ical import calendar_response

        return calendar_response(request, [self], filename=f"{self.slug}.ics", name=self.title)
