"""The schema.org description of a service, for search engines and assistants."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Categories whose places are public offices (schema.org GovernmentOffice); the others are
# described as LocalBusiness.
PUBLIC_CATEGORIES = {
    "mairie",
    "france-services",
    "caf",
    "cpam",
    "msa",
    "emploi",
    "impots",
    "securite",
    "intercommunalite",
}
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_JSONLD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data):
    """<script type="application/ld+json">, escaped as json_script escapes: no text in the
    data can close the element or open another."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSONLD_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def _hhmm(value):
    return value.strftime("%H:%M")


def entry_jsonld(entry, url, exceptions):
    """schema.org description of the place, for search engines and assistants."""
    public = entry.category.slug in PUBLIC_CATEGORIES
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice" if public else "LocalBusiness",
        "@id": url,
        "name": entry.name,
        "url": entry.website or url,
    }
    if entry.description:
        data["description"] = entry.description
    address = {
        "@type": "PostalAddress",
        "streetAddress": ", ".join(line.strip() for line in entry.address.splitlines() if line),
        "postalCode": entry.postcode,
        "addressLocality": entry.city or (entry.commune.name if entry.commune else ""),
        "addressCountry": "FR",
    }
    data["address"] = {key: value for key, value in address.items() if value}
    if entry.has_position:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": entry.latitude,
            "longitude": entry.longitude,
        }
    if entry.phone:
        data["telephone"] = entry.phone
    if entry.email:
        data["email"] = entry.email
    specs = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[row.weekday]}",
            "opens": _hhmm(start),
            "closes": _hhmm(end),
        }
        for row in entry.opening_hours.all()
        for start, end in row.ranges
    ]
    for exception in exceptions:
        period = {
            "@type": "OpeningHoursSpecification",
            "validFrom": exception.date_from.isoformat(),
            "validThrough": (exception.date_to or exception.date_from).isoformat(),
        }
        # schema.org's way of saying "closed that day": opens and closes at midnight.
        ranges = [] if exception.closed else exception.ranges
        for start, end in ranges or [(None, None)]:
            specs.append(
                {
                    **period,
                    "opens": _hhmm(start) if start else "00:00",
                    "closes": _hhmm(end) if end else "00:00",
                }
            )
    if specs:
        data["openingHoursSpecification"] = specs
    return data
