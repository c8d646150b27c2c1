"""La mairie: elected officials, opening hours with exceptions, address and contact."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from communes.panels import InlinePanel
from communes.services.hours import WEEKDAYS, opening_status, paris_now, upcoming_exceptions
from serving.clock import changes_at, next_midnight
from serving.pages import CachedPage

from .pages import IntroBodyMixin


class RangesMixin(models.Model):
    morning_open = models.TimeField(_("matin : ouverture"), null=True, blank=True)
    morning_close = models.TimeField(_("matin : fermeture"), null=True, blank=True)
    afternoon_open = models.TimeField(_("après-midi : ouverture"), null=True, blank=True)
    afternoon_close = models.TimeField(_("après-midi : fermeture"), null=True, blank=True)

    ranges_panel = FieldRowPanel(
        [
            FieldPanel("morning_open"),
            FieldPanel("morning_close"),
            FieldPanel("afternoon_open"),
            FieldPanel("afternoon_close"),
        ]
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        for start, end, label in (
            ("morning_open", "morning_close", _("matin")),
            ("afternoon_open", "afternoon_close", _("après-midi")),
        ):
            a, b = getattr(self, start), getattr(self, end)
            if bool(a) != bool(b):
                raise ValidationError(_("Indiquez l'ouverture et la fermeture (%s).") % label)
            if a and b and a >= b:
                raise ValidationError(_("La fermeture doit suivre l'ouverture (%s).") % label)
        if self.morning_close and self.afternoon_open and self.afternoon_open < self.morning_close:
            raise ValidationError(_("L'après-midi commence avant la fin de la matinée."))

    @property
    def ranges(self):
        return [
            (a, b)
            for a, b in (
                (self.morning_open, self.morning_close),
                (self.afternoon_open, self.afternoon_close),
            )
            if a and b
        ]


class MairiePage(IntroBodyMixin, CachedPage):
    address = models.TextField(_("adresse"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    template = "communes/pages/mairie_page.html"
    parent_page_types = ["communes.CollectiviteHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = IntroBodyMixin.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Coordonnées"),
        ),
        InlinePanel(
            "opening_hours",
            heading=_("Horaires d'ouverture"),
            label=_("jour"),
            add_label=_("Ajouter un jour"),
        ),
        InlinePanel(
            "hours_exceptions",
            heading=_("Fermetures et horaires exceptionnels"),
            label=_("fermeture exceptionnelle"),
            add_label=_("Ajouter une fermeture exceptionnelle"),
        ),
        InlinePanel("officials", heading=_("Élus"), label=_("élu"), add_label=_("Ajouter un élu")),
    ]
    search_fields = IntroBodyMixin.search_fields + [
        index.SearchField("search_keywords", boost=5),
        index.SearchField("address"),
        index.RelatedFields("officials", [index.SearchField("name"), index.SearchField("role")]),
    ]

    class Meta:
        verbose_name = _("la mairie")

    def search_keywords(self):
        # What visitors type to find the mairie's hours: the page is the answer to them.
        return "horaires d'ouverture de la mairie, accueil, adresse, téléphone, contact"

    @property
    def served_day(self):
        """The day in Paris the page is served on: what keys its memoised week of hours."""
        return paris_now().date()

    @cached_property
    def weekly_hours(self):
        """The week, Monday first, with today's row marked (the page is a copy per view, so
        "today" is the day it is served)."""
        rows = list(self.opening_hours.all())
        now = paris_now()
        today = now.weekday()
        changes_at(next_midnight(now), "jour courant")
        days = []
        for number, name in WEEKDAYS:
            ranges = [r for row in rows if row.weekday == number for r in row.ranges]
            days.append(
                {
                    "weekday": number,
                    "name": name,
                    "ranges": sorted(ranges),
                    "today": number == today,
                }
            )
        return days

    @property
    def has_hours(self):
        """Whether any hours were entered: without them the table would say « fermé » every
        day, which nobody knows."""
        return any(day["ranges"] for day in self.weekly_hours)

    @cached_property
    def status(self):
        return opening_status(self.opening_hours.all(), self.hours_exceptions.all())

    def upcoming_exceptions(self):
        """Exceptions not over yet, by date: the admin keeps them in the order they were
        entered."""
        today = paris_now().date()
        return sorted(
            upcoming_exceptions(self.hours_exceptions.all(), today),
            key=lambda e: (e.date_from, e.date_to or e.date_from),
        )


class WeeklyHoursRow(RangesMixin, Orderable):
    """A weekday's opening, up to two ranges (a place may have several rows a day)."""

    VALUE_FIELDS = ("weekday", "morning_open", "morning_close", "afternoon_open", "afternoon_close")

    weekday = models.PositiveSmallIntegerField(_("jour"), choices=WEEKDAYS)

    panels = [FieldPanel("weekday"), RangesMixin.ranges_panel]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("horaire")
        verbose_name_plural = _("horaires")


class HoursExceptionRow(RangesMixin, Orderable):
    """A closure or special hours, on one day or from a date to another."""

    date_from = models.DateField(_("du"))
    date_to = models.DateField(_("au"), null=True, blank=True, help_text=_("Vide : un seul jour."))
    label = models.CharField(
        _("motif"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple : jour férié, congés, élections."),
    )
    closed = models.BooleanField(_("fermé"), default=True)

    panels = [
        FieldRowPanel([FieldPanel("date_from"), FieldPanel("date_to")]),
        FieldRowPanel([FieldPanel("label"), FieldPanel("closed")]),
        RangesMixin.ranges_panel,
    ]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")

    def clean(self):
        super().clean()
        if self.date_to and self.date_from and self.date_to < self.date_from:
            raise ValidationError({"date_to": _("La date de fin précède la date de début.")})
        if not self.closed and not self.ranges:
            raise ValidationError(_("Donnez les horaires exceptionnels, ou cochez « fermé »."))


class OpeningHours(WeeklyHoursRow):
    page = ParentalKey(MairiePage, on_delete=models.CASCADE, related_name="opening_hours")


class HoursException(HoursExceptionRow):
    page = ParentalKey(MairiePage, on_delete=models.CASCADE, related_name="hours_exceptions")


class Official(Orderable):
    page = ParentalKey(MairiePage, on_delete=models.CASCADE, related_name="officials")
    name = models.CharField(_("nom"), max_length=120)
    role = models.CharField(_("fonction"), max_length=120, help_text=_("Maire, 1er adjoint…"))
    photo = models.ForeignKey(
        "communes.SiteImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delegations = models.TextField(_("délégations"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldPanel("photo"),
        FieldPanel("delegations"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("élu")
        verbose_name_plural = _("élus")

    def __str__(self):
        return f"{self.name} ({self.role})"
