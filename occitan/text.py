"""Search keys of the lexicon: what a visitor types and what is stored, folded alike.

« Ostal », « l'ostal » and « OSTAL » all find « l'ostal »; « fenetre » finds « fenêtre ».
A key holds every form of an entry (each dialect, with and without its article), one per
line, so that a search is one indexed lookup and a `contains` on a short text.
"""

import re

from parsing.text import fold

# Articles that start a form in the lexicon (« lo pan », « l'ostal », « la pòrta »): a
# visitor types the noun alone. French and Occitan (lengadocian, gascon, lemosin) articles.
ARTICLES = re.compile(
    r"^(?:l'|lo |la |los |las |lei |leis |les |le |un |una |une |des |eth |era |eths |eras |lou )"
)
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})
SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Folded (lower case, no accents), apostrophes made straight, spaces collapsed."""
    return SPACES.sub(" ", fold(text or "").translate(APOSTROPHES)).strip()


def bare(form: str) -> str:
    """The normalised form without its leading article: « l'ostal » → « ostal »."""
    return ARTICLES.sub("", normalise(form), count=1)


def key(*forms: str) -> str:
    """One search key for all the forms given: each normalised and bare, one per line,
    between newlines so that `contains("\\nostal")` means « a form starting with ostal »."""
    seen = []
    for form in forms:
        for variant in (normalise(form), bare(form)):
            if variant and variant not in seen:
                seen.append(variant)
    return "\n" + "\n".join(seen) + "\n" if seen else ""
