"""Reading opening hours as sources write them: '9h-12h', '09:00:00', '9 h 30'."""

import datetime

from django.utils.translation import gettext as _


def parse_range(text):
    """'9:00-12:00', '9:00 - 12:00' → (time, time), opening before closing."""
    start, _sep, end = text.partition("-")
    opens, closes = parse_time(start), parse_time(end)
    if opens is None or closes is None or opens >= closes:
        raise ValueError(_("plage horaire illisible : « %s »") % text.strip())
    return opens, closes


def rows_from_ranges(weekday, ranges):
    """[(opens, closes), …] of one day → opening rows of up to two ranges each."""
    rows = []
    for i in range(0, len(ranges), 2):
        pair = ranges[i : i + 2]
        rows.append(
            {
                "weekday": weekday,
                "morning_open": pair[0][0],
                "morning_close": pair[0][1],
                "afternoon_open": pair[1][0] if len(pair) > 1 else None,
                "afternoon_close": pair[1][1] if len(pair) > 1 else None,
            }
        )
    return rows


def parse_time(value):
    """'09:00:00', '9:00', '9h', '9 h 30' → time; '' or '-' → None; ValueError otherwise."""
    text = (value or "").strip().lower().replace(" ", "").replace("h", ":")
    if text in ("", "-", ":"):
        return None
    if text.endswith(":"):
        text += "00"
    parts = text.split(":")
    try:
        return datetime.time(int(parts[0]), int(parts[1] or 0) if len(parts) > 1 else 0)
    except ValueError as exc:
        raise ValueError(_("heure illisible : « %s »") % value) from exc
