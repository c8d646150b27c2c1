"""When what a page shows will change by itself, with no edit: the clock's part in a page.

A page that says « Ouvert jusqu'à 12 h », lists the events to come or shows a banner until
Friday is right only until a moment its data fixes: noon, the end of the next event, the
banner's end. Code that shows something depending on the time calls `changes_at(moment)` with
the next such moment; whoever renders a page to keep it (the baked pages, `serving.baking`)
collects them with `collect()` and renders the page again at the earliest one.

Outside a `collect()` block `changes_at` costs one context-variable lookup and does nothing:
a page view rendered for one visitor keeps nothing.
"""

import contextlib
import contextvars
import datetime

from django.utils import timezone

_horizon = contextvars.ContextVar("bastide_clock_horizon", default=None)


class Horizon:
    """The earliest moment at which what was rendered in a `collect()` block changes."""

    def __init__(self):
        self.until = None
        self.reasons = {}

    def note(self, moment, reason=""):
        if moment is None:
            return
        if isinstance(moment, datetime.date) and not isinstance(moment, datetime.datetime):
            moment = start_of_day(moment)
        elif timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if self.until is None or moment < self.until:
            self.until = moment
        if reason:
            self.reasons.setdefault(reason, moment)
            self.reasons[reason] = min(self.reasons[reason], moment)


def changes_at(moment, reason=""):
    """What is being rendered changes by itself at `moment` (an aware datetime, or a date:
    its midnight in the site's time zone). `None` means never."""
    horizon = _horizon.get()
    if horizon is not None:
        horizon.note(moment, reason)


@contextlib.contextmanager
def collect():
    """Collect the moments noted while the block runs; nested blocks report to each other."""
    outer = _horizon.get()
    horizon = Horizon()
    token = _horizon.set(horizon)
    try:
        yield horizon
    finally:
        _horizon.reset(token)
        if outer is not None and horizon.until is not None:
            for reason, moment in horizon.reasons.items() or [("", horizon.until)]:
                outer.note(moment, reason)


def start_of_day(day):
    """Midnight at the start of `day`, in the current time zone (Europe/Paris)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_midnight(now=None):
    """When today's date stops being today: what shows « aujourd'hui » changes then."""
    now = timezone.localtime(now)
    return start_of_day(now.date() + datetime.timedelta(days=1))


def just_after(moment):
    """The first instant after `moment`: what is shown while `moment >= now` goes then."""
    return None if moment is None else moment + datetime.timedelta(microseconds=1)
