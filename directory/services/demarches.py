"""service-public.fr's themes and their main démarches, from the imported fiches.

Every commune site shows the same fiches below its Démarches page (directory.demarches):
they are grouped here once per content version, as plain values. A fiche belongs to the
theme named first in its `subject` (« Papiers - Citoyenneté », « Logement, Secteurs
d'activité »): the publications for associations and professionals name their own subjects
first, so only the particuliers' fiches fall into these themes.
"""

import re

from django.utils.text import slugify

from directory.models import Fiche, ServiceEntry
from serving.cache import PAYS, cached

# (slug, DILA's theme id, name): the ten themes of service-public.fr's « Particuliers ».
THEMES = [
    ("papiers-citoyennete", "N19810", "Papiers - Citoyenneté"),
    ("famille", "N19805", "Famille"),
    ("social-sante", "N19811", "Social - Santé"),
    ("travail", "N19806", "Travail"),
    ("logement", "N19808", "Logement"),
    ("transports", "N19812", "Transports"),
    ("argent", "N19803", "Argent"),
    ("justice", "N19807", "Justice"),
    ("etranger", "N19804", "Étranger"),
    ("loisirs", "N19809", "Loisirs"),
]
THEME_SLUGS = [slug for slug, _id, _name in THEMES]
# What people come to a mairie's site for, first in their theme when the fiche is there.
MAIN_FICHES = {
    "papiers-citoyennete": [
        "F1341",  # carte d'identité d'un majeur
        "F21089",
        "F1342",
        "F14929",  # passeport d'un majeur
        "F1427",  # acte de naissance
        "F1432",
        "F1444",
        "F1367",  # inscription sur les listes électorales
        "F1961",
        "F870",
    ],
    "famille": ["F1864"],
    "logement": ["F1986", "F17578", "F10007"],  # permis de construire, déclaration préalable
    "transports": ["F1050"],
}
SHOWN_PER_THEME = 8
# Not démarches: the themes and sub-themes themselves, and the R publications (forms).
LISTED_ID = re.compile(r"^[FN]\d+$")
NOT_LISTED_KINDS = {"Thème", "Sous-thème"}


def theme_of_subject(subject):
    """The slug of the theme a `subject` names first, or ""."""
    first = (subject or "").split(",")[0]
    slug = slugify(first)
    for theme in THEME_SLUGS:
        if slug == theme or slug.startswith(theme + "-"):
            return theme
    return ""


def catalogue():
    """{"themes": [{slug, name, fiches: [{fiche_id, title, description, kind}]}], "theme_of":
    {fiche_id: slug}}: every listed active fiche in its theme, the main ones first, then
    the dossiers, then the others by title."""
    return cached("demarches-catalogue", [], _build, scope=PAYS)


def _build():
    rows = (
        Fiche.objects.filter(status=ServiceEntry.Status.ACTIVE)
        .order_by("title")
        .values_list("fiche_id", "title", "description", "subject", "kind")
    )
    by_theme = {slug: [] for slug in THEME_SLUGS}
    theme_of = {}
    for fiche_id, title, description, subject, kind in rows:
        theme = theme_of_subject(subject)
        if not theme or not LISTED_ID.match(fiche_id) or kind in NOT_LISTED_KINDS:
            continue
        theme_of[fiche_id] = theme
        by_theme[theme].append(
            {"fiche_id": fiche_id, "title": title, "description": description, "kind": kind}
        )
    themes = []
    for slug, dila_id, name in THEMES:
        main = MAIN_FICHES.get(slug, [])

        def rank(item, main=main):
            if item["fiche_id"] in main:
                return (0, main.index(item["fiche_id"]))
            return (1 if item["kind"] == "Dossier" else 2, 0)

        fiches = sorted(by_theme[slug], key=rank)  # stable: by title within a rank
        themes.append({"slug": slug, "dila_id": dila_id, "name": name, "fiches": fiches})
    return {"themes": themes, "theme_of": theme_of}


def theme(slug):
    return next((t for t in catalogue()["themes"] if t["slug"] == slug), None)
