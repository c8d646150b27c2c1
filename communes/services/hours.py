"""Opening hours: « Ouvert jusqu'à 12 h », « Fermé, ouvre lundi à 9 h », in Europe/Paris time
whatever the server's.

A pure function of the weekly hours, the dated exceptions and `now`: pages that show it are
cached per content version, so it is worked out at each view from the rows they keep.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serving import clock as page_clock

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = [
    (0, gettext_lazy("lundi")), (1, gettext_lazy("mardi")), (2, gettext_lazy("mercredi")),
    (3, gettext_lazy("jeudi")), (4, gettext_lazy("vendredi")), (5, gettext_lazy("samedi")),
    (6, gettext_lazy("dimanche")),
]  # fmt: skip
# How far to look for the next opening: past it, a place is simply « fermé ».
LOOK_AHEAD_DAYS = 62


@dataclass(frozen=True)
class Status:
    is_open: bool
    label: str
    # False when no hours were entered at all: nothing is known, which is not « fermé ».
    known: bool = True


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


def exception_on(exceptions, day):
    return next((e for e in exceptions if e.date_from <= day <= (e.date_to or e.date_from)), None)


def ranges_on(hours, exceptions, day):
    """The opening ranges of one date, and the exception that set them (or None)."""
    exception = exception_on(exceptions, day)
    if exception is not None:
        return ([] if exception.closed else ranges_for([exception])), exception
    return ranges_for([h for h in hours if h.weekday == day.weekday()]), None


def opening_status(hours, exceptions, now=None) -> Status:
    """Whether a place is open at `now`, and when it closes or opens next.

    `hours`: rows with weekday, morning_open/close, afternoon_open/close.
    `exceptions`: rows with date_from, date_to, closed, label, and ranges like hours.
    """
    hours, exceptions = list(hours), list(exceptions)
    now = (now or timezone.now()).astimezone(PARIS)
    today, clock = now.date(), now.time().replace(tzinfo=None)
    ranges, exception = ranges_on(hours, exceptions, today)
    if not ranges_for(hours) and not ranges and exception is None:
        if exceptions:  # a dated exception may give hours to another day
            page_clock.changes_at(next_change(ranges, now), "horaires")
        return Status(False, _("Horaires non renseignés"), known=False)
    page_clock.changes_at(next_change(ranges, now), "horaires")
    for start, end in ranges:
        if start <= clock < end:
            return Status(True, _("Ouvert jusqu'à %s") % time_label(end))
    later = [start for start, _end in ranges if start > clock]
    if later:
        return Status(False, _("Fermé, ouvre à %s") % time_label(later[0]))
    following = next_opening(hours, exceptions, today)
    if exception is not None and exception.closed:
        closed = (
            _("Fermé exceptionnellement (%s)") % exception.label
            if exception.label
            else _("Fermé exceptionnellement")
        )
        if following:
            # Translators: « Fermé exceptionnellement (Noël) », « ouvre lundi à 9 h ».
            return Status(
                False, _("%(closed)s, %(opens)s") % {"closed": closed, "opens": following}
            )
        return Status(False, closed)
    if following is None:
        return Status(False, _("Fermé"))
    if ranges:  # open earlier today, closed for the rest of it
        return Status(False, _("Fermé, %s") % following)
    return Status(False, _("Fermé aujourd'hui, %s") % following)


def next_change(ranges, now):
    """When the status worked out at `now` (Paris time) stops being right: the next opening
    or closing time of the day, else midnight, when the day's ranges, its exception and the
    words « demain », « lundi », « aujourd'hui » all move on."""
    clock = now.time().replace(tzinfo=None)
    later = sorted(moment for pair in ranges for moment in pair if moment > clock)
    if later:
        return datetime.datetime.combine(now.date(), later[0], PARIS)
    return datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), PARIS
    )


def upcoming_exceptions(exceptions, today):
    """The exceptions not over on `today`, in the order they were entered; the list changes
    at the midnight that ends the first of them to end."""
    kept = [e for e in exceptions if (e.date_to or e.date_from) >= today]
    if kept:
        last_day = min(e.date_to or e.date_from for e in kept)
        page_clock.changes_at(
            page_clock.start_of_day(last_day + datetime.timedelta(days=1)), "exceptions"
        )
    return kept


def next_opening(hours, exceptions, today):
    """« ouvre demain à 9 h », « ouvre lundi à 9 h », « ouvre le lundi 5 janvier à 9 h »:
    the first opening after `today`, or None within LOOK_AHEAD_DAYS."""
    for offset in range(1, LOOK_AHEAD_DAYS + 1):
        day = today + datetime.timedelta(days=offset)
        ranges, _exception = ranges_on(hours, exceptions, day)
        if not ranges:
            continue
        at = time_label(ranges[0][0])
        if offset == 1:
            return _("ouvre demain à %s") % at
        if offset < 7:
            return _("ouvre %(day)s à %(time)s") % {"day": WEEKDAYS[day.weekday()][1], "time": at}
        return _("ouvre le %(date)s à %(time)s") % {"date": date_format(day, "l j F"), "time": at}
    return None


def paris_now():
    return timezone.now().astimezone(PARIS)


def time_label(value: datetime.time):
    """French style: « 9 h », « 17 h 30 »."""
    if value.minute:
        # Translators: a time of day; French writes 17 h 30.
        return _("%(hour)s h %(minute)s") % {"hour": value.hour, "minute": f"{value:%M}"}
    # Translators: a time on the hour; French writes 9 h.
    return _("%(hour)s h") % {"hour": value.hour}
