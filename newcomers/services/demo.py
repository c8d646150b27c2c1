"""The demo guide and its offers, from newcomers/demo/guide.toml: fictional, and labelled so.

Only `make seed` calls this (`seed_newcomers`). Idempotent: when the portal already has a
guide, nothing is written. English: when the portal's home exists in English (the
translation workflow creates it), the guide's pages are translated below it with
wagtail-localize's own copy (`copy_for_translation`), so that /en/settle-in/ serves them.
"""

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from communes.models import Collectivite, PortalHomePage
from newcomers.models import (
    GuideIndexPage,
    GuideTopicPage,
    OfferIndexPage,
    OfferPage,
    TestimonialPage,
)

CONTENT = Path(__file__).resolve().parent.parent / "demo" / "guide.toml"


@dataclass
class DemoGuideReport:
    pages: int = 0
    offers: int = 0
    translated: int = 0
    skipped: bool = False

    @property
    def summary(self):
        if self.skipped:
            return "guide: already there, nothing written"
        return (
            f"guide: {self.pages} page(s), {self.offers} offre(s), "
            f"{self.translated} page(s) traduite(s) en anglais"
        )


def _body(text):
    return [{"type": "paragraph", "value": text}] if text else []


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def create_demo_guide() -> DemoGuideReport:
    report = DemoGuideReport()
    portal = PortalHomePage.objects.filter(locale=Locale.get_default()).first()
    if portal is None:
        raise ValueError("Le portail du Pays n'existe pas : lancez provision --all d'abord.")
    if GuideIndexPage.objects.descendant_of(portal).exists():
        report.skipped = True
        return report
    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    communes = {c.code: c for c in Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE)}
    spec = data["index"]
    index = _publish(
        portal, GuideIndexPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"])
    )
    pages = [(index, spec.get("en"))]
    for topic in data["topics"]:
        page = GuideTopicPage(
            title=topic["title"],
            slug=topic["slug"],
            section=topic["section"],
            intro=topic["intro"],
            body=_body(topic["text"]),
        )
        pages.append((_publish(index, page), topic.get("en")))
    for item in data["testimonials"]:
        page = TestimonialPage(
            title=item["title"],
            slug=item["slug"],
            person=item["person"],
            origin=item.get("origin", ""),
            commune=communes.get(item.get("commune")),
            quote=item.get("quote", ""),
            body=_body(item.get("text")),
            video_url=item.get("video_url", ""),
            transcript=item.get("transcript", ""),
        )
        pages.append((_publish(index, page), item.get("en")))
    spec = data["offers"]
    offers_index = _publish(
        index, OfferIndexPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"])
    )
    pages.append((offers_index, spec.get("en")))
    report.pages = len(pages)
    today = timezone.localdate()
    for item in spec["items"]:
        commune = communes.get(item["commune"])
        if commune is None:
            continue  # a registry without this commune (a partial test registry)
        _publish(
            offers_index,
            OfferPage(
                title=item["title"],
                sector=item["sector"],
                commune=commune,
                price_min=item.get("price_min"),
                price_max=item.get("price_max"),
                staff=item.get("staff"),
                premises=item.get("premises", ""),
                description=item["description"],
                published_date=today,
                expiry_date=today + datetime.timedelta(days=item["days"]),
            ),
        )
        report.offers += 1
    report.translated = _translate(portal, pages, "en")
    return report


def _translate(portal, pages, language):
    """Translate the guide's pages when the portal exists in `language`; else leave it to
    the translation workflow."""
    locale = Locale.objects.filter(language_code=language).first()
    if (
        locale is None
        or not Page.objects.filter(translation_key=portal.translation_key, locale=locale).exists()
    ):
        return 0
    count = 0
    for page, fields in pages:
        if not fields:
            continue
        translated = page.copy_for_translation(locale)
        for name, value in fields.items():
            if name == "text":
                translated.body = _body(value)
            else:
                setattr(translated, name, value)
        translated.save()
        translated.save_revision().publish()
        count += 1
    return count
