"""schema.org descriptions of the commune sites' pages, for search engines and assistants."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# As json_script escapes: no text in the data can close the element or open another.
_JSONLD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# The rendition search engines are given: one the home page's <picture> already asks for.
PHOTO_FILTER = "width-1440|format-jpeg"


def jsonld_script(data):
    """<script type="application/ld+json"> holding `data`."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSONLD_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def image_object(image, content_url, page_url=""):
    """schema.org ImageObject of a SiteImage with its credit: author, licence, where to get
    it (Google's image metadata reads creator, creditText, license, acquireLicensePage)."""
    data = {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "contentUrl": content_url,
        "representativeOfPage": True,
    }
    if page_url:
        data["mainEntityOfPage"] = page_url
    if image.default_alt_text:
        data["description"] = image.default_alt_text
    parts = image.credit_parts()
    if parts is None:
        return data
    if parts["author"]:
        name, url = parts["author"]
        person = {"@type": "Person", "name": name}
        if url:
            person["url"] = url
        data["author"] = data["creator"] = person
    data["creditText"] = image.credit_text()
    if parts["licence"] and parts["licence"][1]:
        data["license"] = parts["licence"][1]
    if parts["source"]:
        data["acquireLicensePage"] = parts["source"]
    return data


def event_object(name, start, url, place="", end=None):
    """schema.org Event of an event or a council meeting; times in Paris time with their
    offset (« 2026-12-18T18:30:00+01:00 »), as the page shows them."""
    from communes.services.hours import PARIS

    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "startDate": start.astimezone(PARIS).isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
    }
    if end:
        data["endDate"] = end.astimezone(PARIS).isoformat()
    if place:
        data["location"] = {"@type": "Place", "name": place}
    return data
