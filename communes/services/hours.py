"""Opening hours: "ouvert maintenant / fermé", in Europe/Paris time whatever the server's."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = [
    (0, gettext_lazy("lundi")), (1, gettext_lazy("mardi")), (2, gettext_lazy("mercredi")),
    (3, gettext_lazy("jeudi")), (4, gettext_lazy("vendredi")), (5, gettext_lazy("samedi")),
    (6, gettext_lazy("dimanche")),
]  # fmt: skip


@dataclass(frozen=True)
class Status:
    is_open: bool
    label: str


def ranges_for(day_rows):
    """[(open, close), ...] from rows with morning/afternoon ranges."""
    ranges = []
    for row in day_rows:
        for start, end in (
            (row.morning_open, row.morning_close),
            (row.afternoon_open, row.afternoon_close),
        ):
            if start and end:
                ranges.append((start, end))
    return sorted(ranges)


def opening_status(hours, exceptions, now=None) -> Status:
    """Whether a place is open at `now`, given weekly hours and dated exceptions.

    `hours`: rows with weekday, morning_open/close, afternoon_open/close.
    `exceptions`: rows with date_from, date_to, closed, and optional ranges like hours.
    """
    now = (now or timezone.now()).astimezone(PARIS)
    today, clock = now.date(), now.time()
    exception = next(
        (e for e in exceptions if e.date_from <= today <= (e.date_to or e.date_from)), None
    )
    if exception is not None:
        if exception.closed:
            if exception.label:
                return Status(False, _("Fermé aujourd'hui (%s)") % exception.label)
            return Status(False, _("Fermé aujourd'hui"))
        ranges = ranges_for([exception])
    else:
        ranges = ranges_for([h for h in hours if h.weekday == today.weekday()])
    for start, end in ranges:
        if start <= clock < end:
            return Status(True, _("Ouvert maintenant, jusqu'à %s") % time_label(end))
    upcoming = [start for start, _end in ranges if start > clock]
    if upcoming:
        return Status(False, _("Fermé, ouvre à %s") % time_label(upcoming[0]))
    return Status(False, _("Fermé"))


def paris_now():
    return timezone.now().astimezone(PARIS)


def time_label(value: datetime.time):
    # Translators: a time of day; French writes 17 h 30.
    return _("%(hour)s h %(minute)s") % {"hour": f"{value:%H}", "minute": f"{value:%M}"}
