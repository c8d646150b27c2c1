"""The « mot del jorn »: one live entry a day, the same on every site.

The day's entry is the one at index hash(date) mod count among the live entries ordered by
pk: no state is kept, every process and every site agree, and a new entry or an unpublished
one only reshuffles the days to come (a content change bumps the content version, which is
part of the cache key, as is the date). The day is the local one (Europe/Paris): the word
changes at midnight there.
"""

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from occitan.models import Entry
from occitan.services.portal import location
from serving.cache import cached
from serving.clock import changes_at, next_midnight


@dataclass(frozen=True)
class WordOfDay:
    day: str  # ISO date
    french: str
    occitan: str
    dialect: str
    example_oc: str
    example_fr: str
    slug: str
    path: str  # the entry's page on the portal, "/occitan/mot/maison/"
    url: str  # the same, absolute (commune sites link across to the portal)


def day_index(day, count):
    """A stable index in [0, count) for `day` (not Python's hash(): salted per process)."""
    digest = hashlib.sha256(day.isoformat().encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def _build(day):
    live = Entry.objects.public().order_by("pk")
    count = live.count()
    if not count:
        return None
    entry = live[day_index(day, count)]
    where = location()
    path = where.entry_path(entry.slug)
    return WordOfDay(
        day=day.isoformat(),
        french=entry.french,
        occitan=entry.occitan,
        dialect=entry.dialect,
        example_oc=entry.example_oc,
        example_fr=entry.example_fr,
        slug=entry.slug,
        path=path,
        url=where.absolute(path),
    )


def word_of_day(on=None):
    """The word of `on` (a date; today in Europe/Paris by default), or None when no entry
    is live. Costs no query once cached for this date and content version."""
    if on is None:
        changes_at(next_midnight(), "mot du jour")
    day = on or timezone.localdate()
    return cached("occitan-word-of-day", [day.isoformat()], lambda: _build(day))
