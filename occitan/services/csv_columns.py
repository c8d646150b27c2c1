"""The columns of the lexicon's CSV files, and reading one row of them into model values.

Two kinds of file, each in two formats that import alike:

- the seed files shipped in occitan/data/ (`lexicon-seed.csv`, `expressions-seed.csv`), made
  by Apertium: their rows are credited to Apertium and marked as machine suggestions;
- our own export (occitan.services.csv_export), with every column, `slug` and `status`
  included; `status` is for the reader and never imported (an import never publishes).

Any other header made of known columns, `french` and `occitan` included, imports too: the
columns it lacks are left as they are.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.exports import restore_formula
from occitan import text
from occitan.models import Dialect, Entry, Expression, Gender, PartOfSpeech, Theme
from occitan.models.lexicon import SOURCE_APERTIUM

ENTRIES, EXPRESSIONS = "entries", "expressions"
SEED_CREDIT = "Apertium oci-fra, GPL-3+, traduction automatique"
# What the seed files' rows are, said in the columns they lack.
SEED_VALUES = {"source": SOURCE_APERTIUM, "credit": SEED_CREDIT, "machine_suggestion": True}

# The seed's theme codes and their French names, in the seed's order.
SEED_THEMES = {
    "salutations": gettext_lazy("Salutations"),
    "mairie": gettext_lazy("La mairie"),
    "marche": gettext_lazy("Le marché"),
    "meteo": gettext_lazy("Le temps qu'il fait"),
    "famille": gettext_lazy("La famille"),
    "nombres": gettext_lazy("Les nombres"),
    "jours-mois": gettext_lazy("Jours et mois"),
    "nature": gettext_lazy("La nature"),
    "metiers": gettext_lazy("Les métiers"),
    "maison": gettext_lazy("La maison"),
    "vie-moderne": gettext_lazy("La vie moderne"),
}

# Column → model field, in the order of our export.
COLUMNS = {
    ENTRIES: {
        "slug": "slug",
        "theme": "theme",
        "french": "french",
        "occitan": "occitan",
        "dialect": "dialect",
        "occitan_gascon": "variant_gascon",
        "variant_lemosin": "variant_lemosin",
        "part_of_speech": "part_of_speech",
        "gender": "gender",
        "example_fr": "example_fr",
        "example_oc": "example_oc",
        "source": "source",
        "credit": "credit",
        "machine_suggestion": "machine_suggestion",
        "status": None,
    },
    EXPRESSIONS: {
        "slug": "slug",
        "theme": "theme",
        "french": "literal",
        "occitan": "occitan",
        "dialect": "dialect",
        "meaning": "meaning",
        "note": "usage_note",
        "source": "source",
        "credit": "credit",
        "machine_suggestion": "machine_suggestion",
        "status": None,
    },
}
SEED_COLUMNS = {
    ENTRIES: (
        "theme",
        "french",
        "occitan",
        "occitan_gascon",
        "part_of_speech",
        "gender",
        "example_fr",
        "example_oc",
    ),
    EXPRESSIONS: ("french", "occitan", "note"),
}
REQUIRED = ("french", "occitan")
MODELS = {ENTRIES: Entry, EXPRESSIONS: Expression}
KIND_LABELS = {ENTRIES: gettext_lazy("mots du lexique"), EXPRESSIONS: gettext_lazy("expressions")}
FILE_LABELS = {
    ENTRIES: gettext_lazy("un fichier de mots du lexique (entries)"),
    EXPRESSIONS: gettext_lazy("un fichier d'expressions (expressions)"),
}

YES = {"oui", "o", "vrai", "true", "yes", "1", "x"}
NO = {"non", "n", "faux", "false", "no", "0", ""}
SLUG_ROOM = 100  # of the 120 characters of a slug, what a derived slug takes before « -2 »


class CsvFormatError(Exception):
    """The file as a whole cannot be read; nothing was written."""


@dataclass
class Header:
    kind: str
    columns: dict  # column name → its index in the row
    seed: bool

    @property
    def label(self):
        if self.seed:
            return _("fichier d'amorçage Apertium (%(kind)s)") % {"kind": KIND_LABELS[self.kind]}
        return _("CSV du lexique (%(kind)s)") % {"kind": KIND_LABELS[self.kind]}


def read_header(kind, header):
    """The columns of `header` for `kind`, or CsvFormatError saying what is wrong."""
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    known = COLUMNS[kind]
    unknown = [n for n in names if n and n not in known]
    missing = [c for c in REQUIRED if c not in names]
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    if unknown or missing or duplicated:
        other = EXPRESSIONS if kind == ENTRIES else ENTRIES
        hint = ""
        if not missing and all(n in COLUMNS[other] for n in names if n):
            hint = " " + _("Ce fichier ressemble à %(other)s.") % {"other": FILE_LABELS[other]}
        problems = []
        if missing:
            problems.append(_("colonnes obligatoires absentes : %s") % ", ".join(missing))
        if unknown:
            problems.append(_("colonnes inconnues : %s") % ", ".join(unknown))
        if duplicated:
            problems.append(_("colonnes en double : %s") % ", ".join(duplicated))
        raise CsvFormatError(
            _(
                "En-tête non reconnu pour des %(kind)s : %(header)s (%(problems)s).%(hint)s "
                "Colonnes acceptées : %(accepted)s ; french et occitan obligatoires."
            )
            % {
                "kind": KIND_LABELS[kind],
                "header": ", ".join(header) or "—",
                "problems": " ; ".join(problems),
                "hint": hint,
                "accepted": ", ".join(known),
            }
        )
    columns = {name: index for index, name in enumerate(names) if name}
    seed = set(columns) == set(SEED_COLUMNS[kind])
    return Header(kind, columns, seed)


def _choice(value, choices, label):
    """The code of a choice given by its code or its label, any case or accent."""
    folded = text.normalise(value)
    for code, name in choices:
        if folded in (text.normalise(code), text.normalise(str(name))):
            return code
    raise ValidationError(
        {
            label: _("valeur inconnue « %(value)s » (attendu : %(codes)s)")
            % {"value": value, "codes": ", ".join(code for code, _name in choices)}
        }
    )


def _boolean(value, label):
    folded = text.normalise(value)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValidationError({label: _("« %(value)s » : oui ou non attendu") % {"value": value}})


class Themes:
    """The themes by slug and name; a seed theme is created when a row first names it (its
    own unit of work: it stays if that row is then rejected)."""

    def __init__(self):
        self.by_key = {}
        self.created = []
        for theme in Theme.objects.all():
            self._add(theme)

    def _add(self, theme):
        self.by_key[text.normalise(theme.slug)] = theme
        self.by_key[text.normalise(theme.name)] = theme

    def get(self, value):
        folded = text.normalise(value)
        theme = self.by_key.get(folded)
        if theme is not None:
            return theme
        code = slugify(value)
        if code not in SEED_THEMES:
            raise ValidationError({"theme": _("thème inconnu « %(value)s »") % {"value": value}})
        theme, created = Theme.objects.get_or_create(
            slug=code,
            defaults={
                "name": str(SEED_THEMES[code]),
                "sort_order": list(SEED_THEMES).index(code) + 1,
            },
        )
        if created:
            self.created.append(theme.name)
        self._add(theme)
        return theme


def row_values(header: Header, row, themes: Themes):
    """The model values of one row (only the columns the file has), or ValidationError."""
    model = MODELS[header.kind]
    fields = COLUMNS[header.kind]

    def cell(name):
        index = header.columns.get(name)
        if index is None or index >= len(row):
            return ""
        # Our own export prefixed cells that looked like formulas: they come back as written.
        return restore_formula(row[index]).strip()

    values = dict(SEED_VALUES) if header.seed else {}
    errors = {}
    for column in header.columns:
        field = fields[column]
        if field is None:
            continue
        value = cell(column)
        try:
            if column == "theme":
                value = themes.get(value) if value else None
            elif column == "slug":
                if value and slugify(value) != value:
                    raise ValidationError(
                        {"slug": _("identifiant invalide « %(value)s »") % {"value": value}}
                    )
            elif column == "part_of_speech" and value:
                value = _choice(value, PartOfSpeech.choices, column)
            elif column == "gender" and value:
                value = _choice(value, Gender.choices, column)
            elif column == "dialect":
                value = _choice(value, Dialect.choices, column) if value else Dialect.LENGADOCIAN
            elif column == "machine_suggestion":
                value = _boolean(value, column)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if isinstance(value, str):
            max_length = model._meta.get_field(field).max_length
            if max_length and len(value) > max_length:
                errors[column] = [
                    _("%(length)s caractères, %(max)s au plus")
                    % {"length": len(value), "max": max_length}
                ]
                continue
        values[field] = value
    for column in REQUIRED:
        if not cell(column):
            errors[column] = [_("valeur manquante")]
    if errors:
        raise ValidationError(errors)
    return values


def french_of(kind, values):
    return values["french" if kind == ENTRIES else "literal"]


def slug_base(french):
    return slugify(french)[:SLUG_ROOM].strip("-") or "mot"
