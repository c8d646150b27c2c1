"""The lexicon: entries (a word) and expressions (a phrase), reviewed before they are public.

Both are snippets under Wagtail's draft, revision and workflow mixins: an entry saved by an
editor is « à relire » (`live` False) until a reviewer approves it through the « Relecture
occitane » workflow, and only live rows are ever shown to visitors. `fr_key` and `oc_key` are
the search keys (occitan.text), written on every save.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from occitan import text

SOURCE_APERTIUM = "Apertium oci-fra, GPL-3+"


class Dialect(models.TextChoices):
    LENGADOCIAN = "lengadocian", _("languedocien")
    GASCON = "gascon", _("gascon")
    LEMOSIN = "lemosin", _("limousin")
    BERGERACOIS = "bergeracois", _("bergeracois")


class PartOfSpeech(models.TextChoices):
    NOUN = "noun", _("nom")
    VERB = "verb", _("verbe")
    ADJECTIVE = "adj", _("adjectif")
    ADVERB = "adv", _("adverbe")
    EXPRESSION = "expr", _("locution")


class Gender(models.TextChoices):
    MASCULINE = "m", _("masculin")
    FEMININE = "f", _("féminin")


class LexiconQuerySet(models.QuerySet):
    def public(self):
        return self.filter(live=True)


class LexiconItem(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """What entries and expressions share: a slug, a theme, a recording, a source, review."""

    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    dialect = models.CharField(
        _("dialecte"), max_length=16, choices=Dialect.choices, default=Dialect.LENGADOCIAN
    )
    theme = models.ForeignKey(
        "occitan.Theme",
        verbose_name=_("thème"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recording = models.ForeignKey(
        "occitan.Recording",
        verbose_name=_("enregistrement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    credit = models.CharField(_("crédit"), max_length=200, blank=True)
    machine_suggestion = models.BooleanField(
        _("suggestion automatique"),
        default=False,
        help_text=_("La forme occitane vient d'une traduction automatique et doit être relue."),
    )
    fr_key = models.TextField(editable=False, default="")
    oc_key = models.TextField(editable=False, default="")
    fr_letter = models.CharField(max_length=1, editable=False, default="", db_index=True)
    oc_letter = models.CharField(max_length=1, editable=False, default="", db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LexiconQuerySet.as_manager()

    FRENCH_FIELDS: tuple = ()
    OCCITAN_FIELDS: tuple = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fr_key = text.key(*self.french_forms())
        self.oc_key = text.key(*self.occitan_forms())
        self.fr_letter = (text.bare(self.french_forms()[0]) or "?")[:1]
        self.oc_letter = (text.bare(self.occitan_forms()[0]) or "?")[:1]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & self.text_fields():
            kwargs["update_fields"] = {*update_fields, "fr_key", "oc_key", "fr_letter", "oc_letter"}
        # Otherwise the keys stay as stored: saving a draft of a live row writes only
        # `latest_revision` and `has_unpublished_changes`, and the live row must keep the
        # keys of its live text, not the draft's.
        super().save(*args, **kwargs)

    @classmethod
    def text_fields(cls):
        """The fields the search keys are made of."""
        return set(cls.FRENCH_FIELDS) | set(cls.OCCITAN_FIELDS)

    def french_forms(self):
        raise NotImplementedError

    def occitan_forms(self):
        raise NotImplementedError


class Entry(LexiconItem):
    """A word: « maison » is « l'ostal » (lengadocian), « l'ostau » (gascon)."""

    FRENCH_FIELDS = ("french",)
    OCCITAN_FIELDS = ("occitan", "variant_gascon", "variant_lemosin")

    french = models.CharField(_("mot français"), max_length=120)
    occitan = models.CharField(
        _("forme occitane"), max_length=120, help_text=_("En graphie classique.")
    )
    variant_gascon = models.CharField(_("forme gasconne"), max_length=120, blank=True)
    variant_lemosin = models.CharField(_("forme limousine"), max_length=120, blank=True)
    part_of_speech = models.CharField(
        _("nature"), max_length=8, choices=PartOfSpeech.choices, blank=True
    )
    gender = models.CharField(
        _("genre (en occitan)"), max_length=1, choices=Gender.choices, blank=True
    )
    example_fr = models.CharField(_("exemple en français"), max_length=300, blank=True)
    example_oc = models.CharField(_("exemple en occitan"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("french"), FieldPanel("slug")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("occitan"), FieldPanel("dialect")]),
                FieldRowPanel([FieldPanel("variant_gascon"), FieldPanel("variant_lemosin")]),
                FieldPanel("machine_suggestion"),
            ],
            heading=_("Occitan"),
        ),
        FieldRowPanel([FieldPanel("part_of_speech"), FieldPanel("gender"), FieldPanel("theme")]),
        FieldRowPanel([FieldPanel("example_fr"), FieldPanel("example_oc")]),
        FieldPanel("recording"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("credit")]),
    ]

    class Meta:
        verbose_name = _("mot du lexique")
        verbose_name_plural = _("mots du lexique")
        ordering = ["fr_key"]
        indexes = [
            models.Index(fields=["live", "fr_letter"]),
            models.Index(fields=["live", "oc_letter"]),
            models.Index(fields=["live", "theme"]),
        ]

    def __str__(self):
        return f"{self.french} — {self.occitan}"

    def french_forms(self):
        return [self.french]

    def occitan_forms(self):
        return [f for f in (self.occitan, self.variant_gascon, self.variant_lemosin) if f]


class Expression(LexiconItem):
    """A phrase: « Bonjorn a totes ! », its literal translation, its meaning, its use."""

    FRENCH_FIELDS = ("literal", "meaning")
    OCCITAN_FIELDS = ("occitan",)

    occitan = models.CharField(_("expression occitane"), max_length=300)
    literal = models.CharField(_("traduction littérale"), max_length=300)
    meaning = models.CharField(_("sens"), max_length=300, blank=True)
    usage_note = models.TextField(_("note d'usage"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("occitan"), FieldPanel("dialect")]),
        FieldPanel("slug"),
        FieldPanel("machine_suggestion"),
        FieldRowPanel([FieldPanel("literal"), FieldPanel("meaning")]),
        FieldPanel("usage_note"),
        FieldRowPanel([FieldPanel("theme"), FieldPanel("recording")]),
        FieldRowPanel([FieldPanel("source"), FieldPanel("credit")]),
    ]

    class Meta:
        verbose_name = _("expression occitane")
        verbose_name_plural = _("expressions occitanes")
        ordering = ["oc_key"]
        indexes = [models.Index(fields=["live", "oc_letter"])]

    def __str__(self):
        return self.occitan

    def french_forms(self):
        return [f for f in (self.literal, self.meaning) if f]

    def occitan_forms(self):
        return [self.occitan]
