"""Which languages a page exists in, and where: its language switcher and its hreflang links.

A page and its translations share a translation key (wagtail-localize). Their live versions
and their URLs only change when content changes, so they are kept under the content version
like the routes (`serving.cache`): a page view asks the database nothing for them.
"""

from django.conf import settings
from wagtail.models import Locale, Page

from serving.cache import STRUCTURE, cached
from serving.pages import site_root_paths


def locale_codes():
    """Locale id → language code."""
    return cached(
        "locales",
        [],
        lambda: dict(Locale.objects.values_list("pk", "language_code")),
        scope=STRUCTURE,
    )


def _alias_locales():
    """Locale of the original of each alias: wagtail-localize makes the missing parents of
    a translated page aliases of the French ones, in the new locale but with French content."""

    def build():
        originals = Page.objects.filter(alias_of__isnull=False).values("alias_of_id")
        return dict(Page.objects.filter(pk__in=originals).values_list("pk", "locale_id"))

    return cached("alias-locales", [], build)


def content_language(page):
    """The language of a page's content, which may not be the interface's (a French page
    served under /en/ while it has no English translation; an English alias of a French
    page)."""
    locale_id = page.locale_id
    if getattr(page, "alias_of_id", None):
        locale_id = _alias_locales().get(page.alias_of_id, locale_id)
    return locale_codes().get(locale_id, settings.LANGUAGE_CODE)


def _order(code):
    codes = [code for code, _name in settings.LANGUAGES]
    return codes.index(code) if code in codes else len(codes)


def _live_versions(**lookup):
    # An alias only mirrors another language's page: not a version of its own.
    return (
        Page.objects.filter(live=True, alias_of__isnull=True, **lookup)
        .only("id", "path", "depth", "url_path", "locale_id", "translation_key")
        .order_by("path")
    )


def _versions(pages):
    codes = locale_codes()
    versions = []
    for page in pages:
        page._wagtail_cached_site_root_paths = site_root_paths()
        parts = page.get_url_parts()
        language = codes.get(page.locale_id)
        if parts is None or language is None:
            continue
        site_id, root_url, path = parts
        versions.append(
            {"language": language, "site_id": site_id, "root_url": root_url, "path": path}
        )
    return sorted(versions, key=lambda version: _order(version["language"]))


def page_versions(translation_key):
    """The live versions of a page: [{"language", "site_id", "root_url", "path"}], in the
    order of settings.LANGUAGES."""
    return cached(
        "page-versions",
        [translation_key],
        lambda: _versions(_live_versions(translation_key=translation_key)),
    )


def preload_page_versions(site, paths):
    """The versions of every page a bake of `site` renders, in one query
    (serving.baking.register_preload), under the same key as `page_versions`."""
    keys = {page.translation_key for page in paths.values() if page is not None}
    grouped = {key: [] for key in keys}
    for page in _live_versions(translation_key__in=list(keys)):
        grouped[page.translation_key].append(page)
    for key, pages in grouped.items():
        cached("page-versions", [key], lambda pages=pages: _versions(pages))
