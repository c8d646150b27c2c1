"""The registry of the Pays' collectivités: what the site factory provisions from."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

insee_validator = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$", _("Un code INSEE a 5 caractères : « 24037 », « 2A004 ».")
)
siren_validator = RegexValidator(r"^\d{9}$", _("Un SIREN a 9 chiffres."))


class FormerCommunesPanel(FieldPanel):
    """The communes déléguées and associées as a reader expects them, not as JSON."""

    def format_value_for_display(self, value):
        kinds = {"COMD": _("déléguée"), "COMA": _("associée")}
        return ", ".join(
            f"{c['name']} ({c['code']}, {kinds.get(c['type'], c['type'])})" for c in value or ()
        )


class CollectiviteQuerySet(models.QuerySet):
    def provisioned(self):
        return self.filter(status=Collectivite.Status.PROVISIONED)

    def members(self):
        """Everything but the Pays itself."""
        return self.exclude(kind=Collectivite.Kind.PAYS)


class Collectivite(models.Model):
    class Kind(models.TextChoices):
        PAYS = "pays", _("Pays")
        EPCI = "epci", _("Communauté de communes (EPCI)")
        SYNDICAT = "syndicat", _("Syndicat")
        COMMUNE = "commune", _("Commune")

    class Status(models.TextChoices):
        TO_PROVISION = "to_provision", _("À provisionner")
        PROVISIONED = "provisioned", _("Provisionnée")
        ARCHIVED = "archived", _("Archivée")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, db_index=True)
    code = models.CharField(
        _("code officiel"),
        max_length=12,
        unique=True,
        help_text=_("Code INSEE pour une commune, SIREN pour un groupement."),
    )
    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(
        _("identifiant"),
        max_length=63,
        unique=True,
        help_text=_("Sert au nom d'hôte du site : <identifiant>.<domaine du Pays>."),
    )
    postcodes = models.JSONField(_("codes postaux"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    epci = models.ForeignKey(
        "self",
        verbose_name=_("EPCI"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        limit_choices_to={"kind": "epci"},
    )
    outside_epci_name = models.CharField(
        _("EPCI hors Pays"),
        max_length=150,
        blank=True,
        help_text=_("Pour une commune du Pays membre d'un EPCI extérieur."),
    )
    latitude = models.FloatField(_("latitude du centre"), null=True, blank=True)
    longitude = models.FloatField(_("longitude du centre"), null=True, blank=True)
    delegated_communes = models.JSONField(
        _("communes déléguées et associées"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "Selon le Code officiel géographique de l'INSEE : code, nom et type (COMD, COMA) "
            "des anciennes communes rattachées à celle-ci."
        ),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionnée dans"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="merged_communes",
        help_text=_("La commune nouvelle dont celle-ci est devenue commune déléguée ou associée."),
    )
    merged_at = models.DateTimeField(
        _("fusion constatée le"), null=True, blank=True, editable=False
    )
    wikidata_id = models.CharField(
        _("identifiant Wikidata"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", _("Un identifiant Wikidata ressemble à Q12345."))],
    )

    # What the site factory did with it.
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=Status.choices,
        default=Status.TO_PROVISION,
        db_index=True,
    )
    hostname = models.CharField(_("nom d'hôte"), max_length=255, blank=True)
    blueprint = models.CharField(
        _("modèle de site"),
        max_length=50,
        blank=True,
        help_text=_("Laisser vide pour le modèle par défaut de ce type de collectivité."),
    )
    approval_by_elus = models.BooleanField(
        _("validation par les élus"),
        default=False,
        help_text=_(
            "Les publications du secrétariat sont validées par le groupe « Élus » de la "
            "collectivité au lieu de l'équipe du Pays."
        ),
    )
    provisioned_blueprint = models.CharField(
        _("provisionnée avec"), max_length=50, blank=True, editable=False
    )
    provisioned_at = models.DateTimeField(_("provisionnée le"), null=True, editable=False)
    provision_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    site = models.OneToOneField(
        "wagtailcore.Site", null=True, blank=True, editable=False, on_delete=models.SET_NULL
    )
    home_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_live_pages = models.JSONField(default=list, blank=True, editable=False)

    objects = CollectiviteQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("code")]),
                FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
                FieldRowPanel([FieldPanel("postcodes"), FieldPanel("population")]),
                FieldRowPanel([FieldPanel("epci"), FieldPanel("outside_epci_name")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("wikidata_id"),
            ],
            heading=_("Identité"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("blueprint"),
                FieldPanel("approval_by_elus"),
                FieldPanel("status", read_only=True),
            ],
            heading=_("Site"),
        ),
        MultiFieldPanel(
            [
                FormerCommunesPanel("delegated_communes", read_only=True),
                FieldRowPanel(
                    [
                        FieldPanel("merged_into", read_only=True),
                        FieldPanel("merged_at", read_only=True),
                    ]
                ),
            ],
            heading=_("Code officiel géographique"),
        ),
    ]

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="pays"),
                name="single_pays",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_pays(self):
        return self.kind == self.Kind.PAYS

    @property
    def postcodes_display(self):
        return ", ".join(self.postcodes or [])

    @property
    def url(self):
        return f"{self.site.root_url}/" if self.site_id else ""

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.COMMUNE:
            try:
                insee_validator(self.code)
            except ValidationError as exc:
                raise ValidationError({"code": exc.messages}) from exc
        elif self.kind in (self.Kind.EPCI, self.Kind.SYNDICAT):
            try:
                siren_validator(self.code)
            except ValidationError as exc:
                raise ValidationError({"code": exc.messages}) from exc
        if self.epci_id and self.epci_id == self.pk:
            raise ValidationError({"epci": _("Une collectivité ne peut être son propre EPCI.")})


class CollectiviteGroup(models.Model):
    """A group of editors that belongs to one collectivité (its secretariat, its élus...).

    This is how Bastide knows which collectivité a user works for.
    """

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="group_links"
    )
    role = models.CharField(_("rôle"), max_length=32)
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="collectivite_link"
    )

    class Meta:
        verbose_name = _("groupe d'une collectivité")
        verbose_name_plural = _("groupes des collectivités")
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "role"], name="one_group_per_role")
        ]

    def __str__(self):
        return f"{self.collectivite} — {self.role}"
