"""The demo guide in English (make seed): the portal's home in English, then the guide's pages.

wagtail-localize translates a page below the translation of its parent, and the portal has
no English home until someone translates a page. The one made here is what wagtail-localize
makes of a translated page's missing parent: an alias of the French home, in the English
tree, with the French content and kept in step with it. Serving knows such an alias for
French (`serving.languages.content_language`): /en/ shows the French home with the note « not
available in English yet » and does not offer it as an English version, and the portal's
pages with no English copy keep their French fallback at /en/<French path>
(`serving.pages._find_page`). A real English home would claim English for French text.

Idempotent: a page that already has its English version is left as it is, so a second run,
or a run on a portal someone translated by hand, changes nothing.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale

from communes.models import PortalHomePage

CONTENT = Path(__file__).resolve().parent.parent / "demo" / "guide.toml"
LANGUAGE = "en"


@dataclass
class EnglishGuideReport:
    home_created: bool = False
    translated: int = 0
    missing_guide: bool = False

    @property
    def summary(self):
        if self.missing_guide:
            return "guide in English: no French guide to translate"
        home = "created (alias of the French home)" if self.home_created else "already there"
        return f"guide in English: portal home {home}, {self.translated} pages translated"


def body(text):
    return [{"type": "paragraph", "value": text}] if text else []


def translate_pages(pages, locale):
    """Copy each (page, English fields) into `locale` with wagtail-localize's own copy (same
    translation key, so the switcher and the translation report pair them), parents first.
    Pages already translated are skipped. Returns how many were created."""
    count = 0
    for page, fields in pages:
        if not fields or page.get_translation_or_none(locale) is not None:
            continue
        translated = page.copy_for_translation(locale)
        for name, value in fields.items():
            if name == "text":
                translated.body = body(value)
            else:
                setattr(translated, name, value)
        translated.save()
        translated.save_revision().publish()
        count += 1
    return count


def english_home(portal, locale):
    """The portal's home in `locale`: the existing one, else a new alias of the French one.
    Returns (page, created)."""
    existing = portal.get_translation_or_none(locale)
    if existing is not None:
        return existing, False
    return portal.copy_for_translation(locale, alias=True), True


def demo_pages(index, data):
    """The demo guide's French pages that are still there, with their English fields, the
    index first (its children are translated below its English copy)."""
    children = {page.slug: page for page in index.get_children().specific()}
    pages = [(index, data["index"].get("en"))]
    for item in [*data["topics"], *data["testimonials"], data["offers"]]:
        page = children.get(item["slug"])
        if page is not None:
            pages.append((page, item.get("en")))
    return pages


@transaction.atomic
def translate_demo_guide() -> EnglishGuideReport:
    from newcomers.models import GuideIndexPage

    report = EnglishGuideReport()
    portal = PortalHomePage.objects.filter(locale=Locale.get_default()).first()
    if portal is None:
        raise ValueError("Le portail du Pays n'existe pas : lancez provision --all d'abord.")
    locale = Locale.objects.filter(language_code=LANGUAGE).first()
    if locale is None:
        raise ValueError("La langue « en » n'existe pas : lancez migrate d'abord.")
    index = GuideIndexPage.objects.child_of(portal).first()
    if index is None:
        report.missing_guide = True
        return report
    _home, report.home_created = english_home(portal, locale)
    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    report.translated = translate_pages(demo_pages(index, data), locale)
    return report
