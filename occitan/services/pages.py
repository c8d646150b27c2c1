"""What the section's pages read of the lexicon, cached under the content version.

Every function answers from `serving.cache.cached` (in this process, `shared=False`: model
rows with their related rows are cheap to rebuild and costly to pickle), so that a page
served before costs no query. Saving a word, an expression, a theme, a speaker or a
recording bumps the content version (occitan.apps), so nothing here outlives the lexicon.
Only live (reviewed) rows are ever returned.
"""

import string

from django.conf import settings
from django.db.models import Count
from django.utils.translation import get_language

from occitan.models import Entry, Expression, OccitanIndexPage, Theme
from serving.cache import cached
from serving.languages import locale_codes
from serving.pages import site_root_paths

LETTERS = tuple(string.ascii_lowercase)
ORDER_FRENCH, ORDER_OCCITAN = "fr", "oc"
INDEX_EXPRESSIONS = 10  # how many expressions the index shows before « toutes »


def section_url(request, index):
    """The index' address as the visitor reached it: /oc/occitan/ keeps its /oc/ prefix.

    The index is a French page: Wagtail gives its French address whatever the language, and
    /oc/… serves the French page in the Occitan interface (serving.pages._find_page)."""
    url = index.get_url(request) or "/"
    language = get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    if (
        url.startswith("/")
        and language in codes
        and language != settings.LANGUAGE_CODE
        and language != locale_codes().get(index.locale_id)
    ):
        url = f"/{language}{url}"
    return url


def _entries():
    return Entry.objects.public().select_related("theme", "recording__speaker")


# What the lists show of a word (letters, themes, sheets): light rows, kept in memory.
LIST_FIELDS = ("slug", "french", "occitan", "variant_gascon", "machine_suggestion")
SHEET_FIELDS = (*LIST_FIELDS, "example_fr", "example_oc")


def _expressions():
    return Expression.objects.public().select_related("theme", "recording__speaker")


def letters(order=ORDER_FRENCH):
    """The letters (a–z) that start at least one live word, French or Occitan order."""
    field = "oc_letter" if order == ORDER_OCCITAN else "fr_letter"

    def build():
        used = set(Entry.objects.public().order_by().values_list(field, flat=True).distinct())
        return [letter for letter in LETTERS if letter in used]

    return cached("occitan-letters", [field], build)


def themes():
    """The themes with their count of live words, those with none left out."""

    def build():
        counts = dict(
            Entry.objects.public()
            .filter(theme__isnull=False)
            .values_list("theme_id")
            .annotate(n=Count("id"))
            .values_list("theme_id", "n")
        )
        rows = []
        for theme in Theme.objects.filter(pk__in=counts):
            theme.count = counts[theme.pk]
            rows.append(theme)
        return rows

    return cached("occitan-themes", [], build, shared=False)


def by_letter(letter, order=ORDER_FRENCH):
    """The live words starting with `letter`, by their French word or their Occitan form."""
    field, key = ("oc_letter", "oc_key") if order == ORDER_OCCITAN else ("fr_letter", "fr_key")
    return cached(
        "occitan-letter",
        [order, letter],
        lambda: list(
            Entry.objects.public().filter(**{field: letter}).only(*LIST_FIELDS).order_by(key, "pk")
        ),
        shared=False,
    )


def theme(slug):
    """(theme, its live words), or None for a theme that does not exist."""

    def build():
        found = Theme.objects.filter(slug=slug).first()
        if found is None:
            return None
        return found, list(Entry.objects.public().filter(theme=found).only(*SHEET_FIELDS))

    return cached("occitan-theme", [slug], build, shared=False)


def entry(slug):
    """The live word of this slug, or None."""
    return cached(
        "occitan-entry", [slug], lambda: _entries().filter(slug=slug).first(), shared=False
    )


def expressions():
    return cached("occitan-expressions", [], lambda: list(_expressions()), shared=False)


def expression(slug):
    """The live expression of this slug, or None."""
    return cached(
        "occitan-expression",
        [slug],
        lambda: _expressions().filter(slug=slug).first(),
        shared=False,
    )


def portal_link(page):
    """The portal's /occitan/ from any site, in the visitor's language (/oc/occitan/), or
    None while the index is not published: the link the commune sites' footer shows."""

    def build():
        index = OccitanIndexPage.objects.live().public().filter(locale__language_code="fr")
        index = index.only("id", "path", "depth", "url_path", "locale_id").first()
        if index is None:
            return None
        index._wagtail_cached_site_root_paths = site_root_paths()
        parts = index.get_url_parts()
        if parts is None:
            return None
        return parts[1] or "", parts[2]

    found = cached("occitan-portal-link", [], build)
    if found is None:
        return None
    root_url, path = found
    language = get_language() or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE and language in dict(settings.LANGUAGES):
        path = f"/{language}{path}"
    return root_url + path
