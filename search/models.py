"""The search index: one row per thing a visitor can find, and the Pays' promoted results.

`SearchEntry` is written by `search.indexing` from the pages, documents and directory
entries (`search.sources`); the engines (`search.engines`) query it. Rows hold only what is
live and public: a draft, a private page or a document of a private collection never gets
one, so no query can return them.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from search.text import stems


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        NEWS = "news", _("Actualité")
        EVENT = "event", _("Événement")
        MEETING = "meeting", _("Conseil municipal")
        DOCUMENT = "document", _("Document")
        SERVICE = "service", _("Service")
        DEMARCHE = "demarche", _("Démarche")
        OCCITAN = "occitan", _("Occitan")

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    collectivite = models.ForeignKey(
        "communes.Collectivite", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, default="fr")
    path = models.CharField(max_length=1000)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Heavier than the title for words a visitor would type to find it ("horaires" for the
    # mairie page), never shown.
    keywords = models.TextField(blank=True)
    date = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    boost = models.FloatField(default=1.0)
    # What a result shows besides its title: a document's format and size, an event's place.
    details = models.JSONField(default=dict, blank=True)
    # PostgreSQL's French full-text vector (the GIN index is made by migration 0002 on
    # PostgreSQL only); unused elsewhere.
    vector = SearchVectorField(null=True, editable=False)
    # What ranks the matches on PostgreSQL: the title, keywords, summary and the start of
    # the body, small enough to stay inside the row (migration 0003). Ranking thousands of
    # matches then reads no document's whole vector out of the TOAST table.
    rank_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entrée de l'index de recherche")
        verbose_name_plural = _("index de recherche")
        indexes = [models.Index(fields=["site", "kind"], name="search_entry_site_kind")]

    def __str__(self):
        return self.title


class Promotion(models.Model):
    """A result the Pays team puts first for some queries ("carte grise" → the démarche)."""

    keywords = models.CharField(
        _("mots-clés"),
        max_length=500,
        help_text=_(
            "Une ou plusieurs recherches, séparées par des virgules (par exemple : carte "
            "grise, immatriculation). Le résultat est mis en avant quand la recherche "
            "contient tous les mots de l'une d'elles, accents et pluriels compris."
        ),
    )
    title = models.CharField(_("titre"), max_length=200)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.URLField(_("ou adresse"), max_length=500, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Vide : sur le portail et sur tous les sites."),
    )
    starts_at = models.DateTimeField(_("à partir du"), null=True, blank=True)
    ends_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)
    keyword_stems = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("résultat mis en avant")
        verbose_name_plural = _("résultats mis en avant")
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.keyword_stems = "\n".join(self.phrases())
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        if bool(self.page_id) == bool(self.url):
            raise ValidationError(_("Choisissez une page ou donnez une adresse (une seule)."))
        if not self.phrases():
            raise ValidationError(
                {"keywords": _("Donnez au moins un mot qui ne soit pas un mot vide (le, de…).")}
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("La fin doit venir après le début.")})

    def phrases(self):
        return [s for s in (stems(part) for part in self.keywords.split(",")) if s]
