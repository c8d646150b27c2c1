"""Where each site stands in each language: pages translated, out of date, missing.

A page is *translated* in a language when a live page of that language shares its
translation key (an alias, which only mirrors the French, does not count); *out of date*
when the French page was published again after its translation was last synchronised
(wagtail-localize's TranslationSource.last_updated_at, moved by « Synchroniser les pages
traduites »); *missing* otherwise. Read in a handful of queries for every site at once.
"""

from dataclasses import dataclass, field

from django.conf import settings
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import TranslationSource

TRANSLATED, OUTDATED, MISSING = "translated", "outdated", "missing"


@dataclass
class PageStatus:
    page_id: int
    title: str
    status: str
    translation_id: int | None = None


@dataclass
class SiteLanguageStatus:
    site_id: int
    site_name: str
    language: str
    translated: int = 0
    outdated: int = 0
    missing: int = 0
    pages: list[PageStatus] = field(default_factory=list)

    @property
    def total(self):
        return self.translated + self.outdated + self.missing


def _site_by_path(sites):
    """A page's site is the one whose root is its nearest ancestor (communes' sites sit
    below the portal's home)."""
    roots = {site.root_page.path: site for site in sites}

    def find(path):
        for end in range(len(path), 0, -Page.steplen):
            site = roots.get(path[:end])
            if site is not None:
                return site
        return None

    return find


def translation_report(site_ids=None, *, with_pages=False):
    """[SiteLanguageStatus] for each site (all, or those of `site_ids`) and each language
    other than French, ordered by site name then language."""
    default = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    targets = list(Locale.objects.exclude(pk=default.pk).order_by("language_code"))
    all_sites = list(Site.objects.select_related("root_page").order_by("site_name", "pk"))
    site_of_path = _site_by_path(all_sites)
    wanted = [s for s in all_sites if site_ids is None or s.pk in site_ids]
    rows = {
        (site.pk, locale.pk): SiteLanguageStatus(site.pk, site.site_name, locale.language_code)
        for site in wanted
        for locale in targets
    }
    if not rows:
        return []
    french = Page.objects.filter(locale=default, live=True, depth__gt=1).values_list(
        "id", "path", "title", "translation_key", "last_published_at"
    )
    translations = {
        (key, locale_id): page_id
        for page_id, key, locale_id in Page.objects.exclude(locale=default)
        .filter(live=True, alias_of__isnull=True)
        .values_list("id", "translation_key", "locale_id")
    }
    synced = dict(
        TranslationSource.objects.filter(locale=default).values_list("object_id", "last_updated_at")
    )
    for page_id, path, title, key, published in french:
        site = site_of_path(path)
        if site is None:
            continue
        for locale in targets:
            row = rows.get((site.pk, locale.pk))
            if row is None:
                continue
            translation_id = translations.get((key, locale.pk))
            last_sync = synced.get(key)
            if translation_id is None:
                status = MISSING
            elif last_sync is not None and published and published > last_sync:
                status = OUTDATED
            else:
                status = TRANSLATED
            setattr(row, status, getattr(row, status) + 1)
            if with_pages:
                row.pages.append(PageStatus(page_id, title, status, translation_id))
    return list(rows.values())
