"""The directory of local services: entries, their categories, hours, and imported fiches."""

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from communes.models.mairie import HoursExceptionRow, WeeklyHoursRow
from communes.panels import InlinePanel
from communes.services.hours import WEEKDAYS, opening_status
from directory.journal import ImportRun  # noqa: F401  (a model of this app, kept apart)
from serving.pages import CachedPage


class Category(models.Model):
    """A kind of service, mapped to the official codes the importers read."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    name_en = models.CharField(_("nom en anglais"), max_length=100, blank=True)
    service_public_types = models.JSONField(
        _("types de l'Annuaire de l'administration"),
        default=list,
        blank=True,
        help_text=_("Codes « type_service_local » (pivot), par exemple mairie, caf, cpam."),
    )
    bpe_codes = models.JSONField(
        _("codes d'équipement INSEE (BPE)"),
        default=list,
        blank=True,
        help_text=_("Par exemple A101 (police), D108 (centre de santé)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=100)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("sort_order")]),
        FieldPanel("service_public_types"),
        FieldPanel("bpe_codes"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("catégorie de service")
        verbose_name_plural = _("catégories de services")

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.name_en and (get_language() or "fr").startswith("en"):
            return self.name_en
        return self.name


class ServiceEntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ServiceEntry.Status.ACTIVE)


class ServiceEntry(index.Indexed, ClusterableModel):
    """One place where a service is given: a mairie, a France Services, a childminder…"""

    class Status(models.TextChoices):
        ACTIVE = "active", _("en service")
        ARCHIVED = "archived", _("archivée (disparue de sa source)")

    # What an import writes; an editor's change to one of them locks it against re-imports.
    IMPORTED_FIELDS = (
        "name",
        "category",
        "description",
        "address",
        "postcode",
        "city",
        "commune",
        "latitude",
        "longitude",
        "position_approximate",
        "phone",
        "email",
        "website",
        "accessibility",
        "extra",
        "hours",
    )

    name = models.CharField(_("nom"), max_length=200)
    category = models.ForeignKey(
        Category,
        verbose_name=_("catégorie"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    description = models.TextField(_("description"), blank=True)
    address = models.TextField(_("adresse"), blank=True, help_text=_("Numéro et rue, lieu-dit."))
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    commune = models.ForeignKey(
        "communes.Collectivite",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    position_approximate = models.BooleanField(
        _("position approximative"),
        default=False,
        help_text=_("La position est celle du centre de la commune, pas du lieu lui-même."),
    )
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site internet"), max_length=500, blank=True)
    # Where identity cards and passports are applied for: not every mairie (see stations).
    recording_station = models.BooleanField(
        _("dispositif de recueil (CNI, passeports)"), default=False
    )
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        help_text=_("Accès en fauteuil, boucle magnétique, stationnement réservé…"),
    )
    extra = models.JSONField(
        _("informations complémentaires"),
        default=dict,
        blank=True,
        help_text=_("Par exemple, pour une assistante maternelle : places disponibles."),
    )

    source = models.CharField(_("source"), max_length=60, default="local", db_index=True)
    external_id = models.CharField(_("identifiant dans la source"), max_length=200, blank=True)
    source_url = models.URLField(_("page de la source"), max_length=500, blank=True)
    source_modified = models.DateTimeField(_("modifiée dans la source le"), null=True, blank=True)
    last_imported_at = models.DateTimeField(_("dernier import"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("dernière vérification"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    locked_fields = models.JSONField(
        _("champs verrouillés"),
        default=list,
        blank=True,
        help_text=_(
            "Champs modifiés ici, que les imports ne remplacent plus. Décochez un champ pour "
            "que le prochain import le remette à jour depuis sa source."
        ),
    )
    import_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceEntryQuerySet.as_manager()

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("description"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
        index.FilterField("commune_id"),
        index.FilterField("status"),
        index.FilterField("category_id"),
    ]

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("commune")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("position_approximate"),
            ],
            heading=_("Adresse et position"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("website"),
                FieldPanel("recording_station"),
            ],
            heading=_("Contact"),
        ),
        InlinePanel(
            "opening_hours",
            heading=_("Horaires d'ouverture"),
            label=_("plage"),
            add_label=_("Ajouter une plage horaire"),
        ),
        InlinePanel(
            "hours_exceptions",
            heading=_("Fermetures et horaires exceptionnels"),
            label=_("fermeture exceptionnelle"),
            add_label=_("Ajouter une fermeture exceptionnelle"),
        ),
        FieldPanel("accessibility"),
        FieldPanel("extra"),
        MultiFieldPanel(
            [
                HelpPanel(template="directory/admin/source_panel.html"),
                FieldPanel("locked_fields"),
                FieldPanel("last_checked_at"),
            ],
            heading=_("Source et verrous"),
        ),
    ]

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="directory_entry_unique_source_id",
            )
        ]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="directory_entry_position"),
            models.Index(fields=["status", "commune"], name="directory_entry_commune"),
            models.Index(fields=["status", "category"], name="directory_entry_category"),
        ]

    def __str__(self):
        return self.name

    @property
    def slug(self):
        return slugify(self.name)[:80] or "service"

    @property
    def has_position(self):
        return self.latitude is not None and self.longitude is not None

    @cached_property
    def status_now(self):
        """Ouvert maintenant / fermé, in Paris time; None when the hours are unknown."""
        hours = list(self.opening_hours.all())
        if not hours:
            return None
        return opening_status(hours, list(self.hours_exceptions.all()))

    @property
    def weekly_hours(self):
        rows = list(self.opening_hours.all())
        return [
            {
                "weekday": number,
                "name": name,
                "ranges": sorted(r for row in rows if row.weekday == number for r in row.ranges),
            }
            for number, name in WEEKDAYS
        ]

    @property
    def hours_notes(self):
        """What the source says of the hours in words (« sur rendez-vous le mercredi »)."""
        notes = (self.extra or {}).get("horaires_precisions") or []
        return [str(note) for note in notes] if isinstance(notes, list) else [str(notes)]

    def route_url(self):
        """Directions to it, on OpenStreetMap (works without an account or JavaScript)."""
        if not self.has_position:
            return ""
        return (
            "https://www.openstreetmap.org/directions?route=%3B"
            f"{self.latitude:.5f}%2C{self.longitude:.5f}"
        )

    def is_locked(self, field):
        return field in (self.locked_fields or [])


class OpeningHours(WeeklyHoursRow):
    entry = ParentalKey(ServiceEntry, on_delete=models.CASCADE, related_name="opening_hours")


class HoursException(HoursExceptionRow):
    entry = ParentalKey(ServiceEntry, on_delete=models.CASCADE, related_name="hours_exceptions")


class Fiche(models.Model):
    """A service-public.fr "vosdroits" fiche (comarquage), as published by the DILA.

    One row per fiche id, whichever audiences publish it; `audiences` lists them in the
    order of AUDIENCES, and the text kept is the first one's."""

    # The DILA's publications, in order of precedence for a fiche's text.
    AUDIENCES = ("particuliers", "professionnels", "associations")
    DEFAULT_AUDIENCE = "particuliers"

    fiche_id = models.CharField(_("identifiant"), max_length=20, unique=True)
    audiences = models.JSONField(
        _("publics"),
        default=list,
        blank=True,
        help_text=_(
            "Publications de la DILA qui contiennent la fiche : particuliers, "
            "professionnels, associations."
        ),
    )
    kind = models.CharField(_("type"), max_length=60, blank=True)
    title = models.CharField(_("titre"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    subject = models.CharField(_("thème"), max_length=200, blank=True)
    modified = models.DateField(_("mise à jour par la DILA"), null=True, blank=True)
    sp_url = models.URLField(_("adresse sur service-public.fr"), max_length=300, blank=True)
    body_html = models.TextField(_("contenu"), blank=True)
    pivots = models.JSONField(_("où s'adresser (types de service local)"), default=list, blank=True)
    online_services = models.JSONField(_("services en ligne"), default=list, blank=True)
    contacts = models.JSONField(_("où s'adresser"), default=list, blank=True)  # local or not
    related = models.JSONField(_("formulaires et services cités"), default=list, blank=True)
    outline = models.JSONField(_("sommaire"), default=list, blank=True)  # themes, dossiers
    service_url = models.URLField(_("adresse du service"), max_length=500, blank=True)  # R…
    cerfa = models.CharField(_("numéro Cerfa"), max_length=40, blank=True)
    provider = models.CharField(_("fourni par"), max_length=200, blank=True)
    import_hash = models.CharField(max_length=64, blank=True, editable=False)
    last_imported_at = models.DateTimeField(_("dernier import"), default=timezone.now)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=ServiceEntry.Status.choices,
        default=ServiceEntry.Status.ACTIVE,
    )

    class Meta:
        ordering = ["fiche_id"]
        verbose_name = _("fiche service-public.fr")
        verbose_name_plural = _("fiches service-public.fr")

    def __str__(self):
        return f"{self.fiche_id} — {self.title}"

    @classmethod
    def sorted_audiences(cls, audiences):
        """Without repeats, in the order of AUDIENCES (unknown ones last)."""
        order = {name: i for i, name in enumerate(cls.AUDIENCES)}
        return sorted(set(audiences), key=lambda name: (order.get(name, len(order)), name))


class ServicesPage(RoutablePageMixin, CachedPage):
    """/services/ on the portal and on every collectivité's site: the map and the list,
    centred on the site's commune, and one page per entry below it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    template = "directory/services_page.html"
    parent_page_types = ["communes.CollectiviteHomePage", "communes.PortalHomePage"]
    subpage_types = []
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("annuaire des services")

    @route_path("")
    def index_route(self, request):
        from directory.views import services_index

        return services_index(request, self)

    @route_path("<int:pk>-<slug:slug>/", name="entry")
    def entry_route(self, request, pk, slug):
        from directory.views import service_detail

        return service_detail(request, self, pk, slug)

    @classmethod
    def below(cls, home):
        """The live services page of the site whose home is `home`, or None."""
        return cls.objects.live().public().child_of(home).first()

    @classmethod
    def entry_path(cls, entry):
        """An entry's path below any services page (the same on every site)."""
        return cls.get_resolver().reverse("entry", pk=entry.pk, slug=entry.slug)
