"""Takeover offers (« Reprises d'activité »): a listing page and one page per offer.

An offer stops being shown the day after its expiry date, by the queries themselves
(`OfferPage.objects.current()`): nothing has to run for it to leave the listing, the map,
the feed and the alerts.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from communes.panels import InlinePanel
from newcomers.models.sectors import Sector
from serving.cache import cached
from serving.clock import changes_at, start_of_day
from serving.pages import CachedPage, CachedPrivacyPageManager, CachedPrivacyQuerySet

OFFER_DAYS = 180  # how long an offer stays up when its author gives no expiry date


class PartnerChoice(models.TextChoices):
    """Who follows a candidate for an offer; the application form routes by sector."""

    CCI = "cci", _("CCI Dordogne")
    CMA = "cma", _("Chambre de métiers et de l'artisanat")
    AGRICULTURE = "chambre-agriculture", _("Chambre d'agriculture")
    HEALTH = "sante", _("Partenaire santé")


PARTNER_OF_SECTOR = {
    Sector.COMMERCE: PartnerChoice.CCI,
    Sector.SERVICES: PartnerChoice.CCI,
    Sector.TOURISME: PartnerChoice.CCI,
    Sector.ARTISANAT: PartnerChoice.CMA,
    Sector.AGRICULTURE: PartnerChoice.AGRICULTURE,
    Sector.SANTE: PartnerChoice.HEALTH,
}


def today():
    return timezone.localdate()


def default_expiry():
    return today() + datetime.timedelta(days=OFFER_DAYS)


class OfferQuerySet(CachedPrivacyQuerySet):
    def current(self, on=None):
        """Live, public offers whose expiry date has not passed."""
        return self.live().public().filter(expiry_date__gte=on or today())


OfferManager = CachedPrivacyPageManager.from_queryset(OfferQuerySet)


class OfferIndexPage(RoutablePageMixin, CachedPage):
    """/installez-vous/reprises/: the offers, filtered and paginated, their map, their RSS
    feed and the « nouvelles offres » alert."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    template = "newcomers/pages/offer_index_page.html"
    parent_page_types = ["newcomers.GuideIndexPage"]
    subpage_types = ["newcomers.OfferPage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("reprises d'activité")

    @route_path("")
    def index_route(self, request):
        from newcomers.views import offers_index

        return offers_index(request, self)

    @route_path("rss/", name="rss")
    def rss_route(self, request):
        from newcomers.feeds import offers_feed

        return offers_feed(request, self)

    @route_path("carte/", name="geojson")
    def geojson_route(self, request):
        from newcomers.views import offers_geojson

        return offers_geojson(request, self)

    @route_path("alerte/", name="alert")
    def alert_route(self, request):
        from newcomers.alerts_views import subscribe

        return subscribe(request, self)

    @route_path("alerte/confirmer/<path:token>/", name="alert-confirm")
    def alert_confirm_route(self, request, token):
        from newcomers.alerts_views import confirm

        return confirm(request, self, token)

    @route_path("alerte/desinscrire/<path:token>/", name="alert-unsubscribe")
    def alert_unsubscribe_route(self, request, token):
        from newcomers.alerts_views import unsubscribe

        return unsubscribe(request, self, token)


class OfferPage(CachedPage):
    """« Reprise »: a business to take over."""

    sector = models.CharField(_("secteur"), max_length=16, choices=Sector.choices)
    commune = models.ForeignKey(
        "communes.Collectivite",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "commune"},
    )
    # Copied from the commune when saved: the listing filters on it without a join.
    epci = models.ForeignKey(
        "communes.Collectivite",
        verbose_name=_("communauté de communes"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    price_min = models.PositiveIntegerField(_("prix minimum (€)"), null=True, blank=True)
    price_max = models.PositiveIntegerField(_("prix maximum (€)"), null=True, blank=True)
    premises = models.TextField(
        _("locaux"), blank=True, help_text=_("Surface, bail, logement attenant…")
    )
    staff = models.PositiveSmallIntegerField(_("salariés"), null=True, blank=True)
    description = RichTextField(_("description"), features=["bold", "italic", "link", "ul"])
    partner = models.CharField(
        _("partenaire qui suit les candidats"),
        max_length=32,
        choices=PartnerChoice.choices,
        blank=True,
        help_text=_("Laissé vide : le partenaire du secteur."),
    )
    published_date = models.DateField(_("publiée le"), default=today)
    expiry_date = models.DateField(
        _("expire le"),
        default=default_expiry,
        help_text=_("Le lendemain, l'offre quitte la liste, la carte, le flux RSS et les alertes."),
    )

    objects = OfferManager()

    template = "newcomers/pages/offer_page.html"
    parent_page_types = ["newcomers.OfferIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("sector"), FieldPanel("partner")]),
        FieldPanel("commune"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("price_min"), FieldPanel("price_max")]),
                FieldRowPanel([FieldPanel("staff"), FieldPanel("premises")]),
            ],
            heading=_("L'affaire"),
        ),
        FieldPanel("description"),
        InlinePanel("photos", label=_("photo"), add_label=_("Ajouter une photo")),
        FieldRowPanel([FieldPanel("published_date"), FieldPanel("expiry_date")]),
    ]
    search_fields = Page.search_fields + [index.SearchField("description")]

    class Meta:
        verbose_name = _("reprise")
        verbose_name_plural = _("reprises")
        indexes = [models.Index(fields=["expiry_date", "sector"])]

    def clean(self):
        super().clean()
        if self.price_min and self.price_max and self.price_min > self.price_max:
            raise ValidationError(
                {"price_max": _("Le prix maximum doit être supérieur ou égal au prix minimum.")}
            )
        if self.expiry_date and self.published_date and self.expiry_date < self.published_date:
            raise ValidationError(
                {"expiry_date": _("L'offre ne peut pas expirer avant d'être publiée.")}
            )

    def save(self, *args, **kwargs):
        if self.commune_id:
            from communes.models import Collectivite

            self.epci_id = (
                Collectivite.objects.filter(pk=self.commune_id)
                .values_list("epci_id", flat=True)
                .first()
            )
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from communes.models import Collectivite

        context = super().get_context(request, *args, **kwargs)
        url = self.get_url(request) or ""
        context["offers_url"] = url.rstrip("/").rsplit("/", 1)[0] + "/"
        from newcomers.models.application_page import ApplicationPage

        context["apply_url"] = None if self.is_expired else ApplicationPage.link_for_offer(self)
        context["commune"] = cached(
            "offer-commune",
            [self.commune_id],
            lambda: (
                Collectivite.objects.select_related("site", "epci")
                .filter(pk=self.commune_id)
                .first()
            ),
            shared=False,
        )
        return context

    @property
    def partner_in_charge(self):
        """The partner chosen, else the sector's: read, not stored, so that a change of
        sector changes it too."""
        return self.partner or PARTNER_OF_SECTOR.get(self.sector, PartnerChoice.CCI)

    @property
    def partner_label(self):
        return PartnerChoice(self.partner_in_charge).label

    @property
    def is_expired(self):
        day = today()
        if self.expiry_date >= day:  # expired from the midnight after its last day
            changes_at(start_of_day(self.expiry_date + datetime.timedelta(days=1)), "offre expirée")
        return self.expiry_date < day

    def serve(self, request, *args, **kwargs):
        if self.is_expired:
            # The address stays valid for whoever kept it, with the news that it is gone.
            context = self.get_context(request, *args, **kwargs)
            return TemplateResponse(request, self.get_template(request), context, status=410)
        return super().serve(request, *args, **kwargs)


class OfferPhoto(Orderable):
    page = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "communes.SiteImage", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("légende"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
