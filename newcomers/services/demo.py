"""The demo guide and its offers, from newcomers/demo/guide.toml: fictional, and labelled so.

Only `make seed` calls this (`seed_newcomers`). Idempotent: when the portal already has a
guide, nothing is written. English: when the portal's home exists in English, the guide's
pages are translated below it here; `seed_newcomers` then runs
`demo_english.translate_demo_guide`, which makes that home when it is missing.
"""

import datetime
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from communes.models import Collectivite, PortalHomePage, SiteImage
from newcomers.models import (
    GuideIndexPage,
    GuideTopicPage,
    OfferIndexPage,
    OfferPage,
    TestimonialPage,
    TestimonialPhoto,
)
from newcomers.services.demo_english import body, translate_pages

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
        summary = f"guide: {self.pages} pages, {self.offers} offers"
        if self.translated:
            summary += f", {self.translated} pages translated into English"
        return summary


_body = body


def _demo_photo(title, seed, collection_id):
    """A flat picture that says what it is: the demo ships no real person's photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 533), (200 - seed * 40, 170, 120 + seed * 40))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 380, 800, 533], fill=(110, 140, 80))
    draw.text((24, 24), "Photo fictive", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=75)
    photo = SiteImage(
        title=title,
        description=f"{title} (photo fictive de démonstration)",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"temoignage-{seed}.jpg"),
        collection_id=collection_id,
    )
    photo.save()
    return photo


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
    collection_id = (
        Collectivite.objects.filter(kind=Collectivite.Kind.PAYS)
        .values_list("collection_id", flat=True)
        .first()
    )
    for seed, item in enumerate(data["testimonials"]):
        photo = _demo_photo(item["person"], seed, collection_id) if collection_id else None
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
            video_poster=photo,
        )
        if photo is not None:
            page.photos = [TestimonialPhoto(image=photo, caption=item.get("photo_caption", ""))]
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
    """Translate the guide's pages when the portal exists in `language` (the command then
    makes the English home itself: `demo_english.translate_demo_guide`)."""
    locale = Locale.objects.filter(language_code=language).first()
    if (
        locale is None
        or not Page.objects.filter(translation_key=portal.translation_key, locale=locale).exists()
    ):
        return 0
    return translate_pages(pages, locale)
