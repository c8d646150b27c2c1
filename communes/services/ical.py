"""iCalendar (RFC 5545) export of events, written by hand: it is a small, strict format."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags


def _escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line):
    """Lines of at most 75 octets, continuation lines starting with a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: datetime.datetime):
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(request, events, name):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bastide//Agenda des collectivités//FR",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Europe/Paris",
    ]
    stamp = _utc(timezone.now())
    host = request.get_host().split(":")[0]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            # An event relayed to the Pays' agenda keeps the UID of its commune's feed, so a
            # calendar subscribed to both shows it once.
            f"UID:{getattr(event, 'ical_uid', None) or f'event-{event.pk}@{host}'}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(event.end)}",
            f"SUMMARY:{_escape(event.title)}",
        ]
        if event.place:
            lines.append(f"LOCATION:{_escape(event.place)}")
        description = strip_tags(event.intro or "").strip()
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        lines += [f"URL:{event.get_full_url(request)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def calendar_response(request, events, filename, name):
    response = HttpResponse(
        calendar(request, events, name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
