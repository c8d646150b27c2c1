"""The mairie's status today, at the boundaries: midnight, the lunch break, an exceptional
closure, an opening days later, the changes of time in spring and autumn."""

import datetime

from communes.models import HoursException, OpeningHours
from communes.services.hours import PARIS, opening_status, time_label

NINE, NOON, TWO, HALF_FIVE = (datetime.time(9), datetime.time(12), datetime.time(14),
                              datetime.time(17, 30))  # fmt: skip


def week(*days, afternoon=(1, 3)):
    """The demo's week: mornings on `days`, afternoons too on Tuesday and Thursday."""
    rows = []
    for weekday in days:
        row = OpeningHours(weekday=weekday, morning_open=NINE, morning_close=NOON)
        if weekday in afternoon:
            row.afternoon_open, row.afternoon_close = TWO, HALF_FIVE
        rows.append(row)
    return rows


WORKDAYS = week(0, 1, 2, 3, 4)


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def label(hours, exceptions, when):
    return opening_status(hours, exceptions, when).label


def test_times_are_written_the_french_way():
    assert time_label(datetime.time(9)) == "9 h"
    assert time_label(datetime.time(17, 30)) == "17 h 30"
    assert time_label(datetime.time(12, 5)) == "12 h 05"


def test_open_until_the_end_of_the_range_under_way():
    # Tuesday 1 December 2026.
    status = opening_status(WORKDAYS, [], at(2026, 12, 1, 9))
    assert status.is_open and status.label == "Ouvert jusqu'à 12 h"
    assert label(WORKDAYS, [], at(2026, 12, 1, 16, 59)) == "Ouvert jusqu'à 17 h 30"


def test_the_lunch_break_says_when_it_opens_again():
    status = opening_status(WORKDAYS, [], at(2026, 12, 1, 12))
    assert not status.is_open and status.label == "Fermé, ouvre à 14 h"


def test_before_opening_and_at_midnight_it_opens_later_today():
    assert label(WORKDAYS, [], at(2026, 12, 1, 8, 59)) == "Fermé, ouvre à 9 h"
    assert label(WORKDAYS, [], at(2026, 12, 1, 0, 0)) == "Fermé, ouvre à 9 h"


def test_after_closing_it_opens_tomorrow_or_on_a_named_day():
    assert label(WORKDAYS, [], at(2026, 12, 1, 17, 30)) == "Fermé, ouvre demain à 9 h"
    assert label(WORKDAYS, [], at(2026, 12, 1, 23, 59)) == "Fermé, ouvre demain à 9 h"
    # Friday afternoon: closed until Monday.
    assert label(WORKDAYS, [], at(2026, 12, 4, 12)) == "Fermé, ouvre lundi à 9 h"


def test_a_day_without_hours_is_closed_all_day_until_the_next_opening():
    # Saturday, then Sunday (Monday is tomorrow).
    assert label(WORKDAYS, [], at(2026, 12, 5, 10)) == "Fermé aujourd'hui, ouvre lundi à 9 h"
    assert label(WORKDAYS, [], at(2026, 12, 6, 0, 0)) == "Fermé aujourd'hui, ouvre demain à 9 h"


def test_an_opening_a_week_or_more_away_gives_its_date():
    wednesdays = week(2)
    assert label(wednesdays, [], at(2026, 12, 2, 13)) == "Fermé, ouvre le mercredi 9 décembre à 9 h"


def test_an_exceptional_closure_gives_its_reason_and_the_next_opening():
    christmas = HoursException(date_from=datetime.date(2026, 12, 25), label="Noël", closed=True)
    status = opening_status(WORKDAYS, [christmas], at(2026, 12, 25, 10))
    assert not status.is_open
    assert status.label == "Fermé exceptionnellement (Noël), ouvre lundi à 9 h"
    unnamed = HoursException(date_from=datetime.date(2026, 12, 25), closed=True)
    assert label(WORKDAYS, [unnamed], at(2026, 12, 25, 10)).startswith(
        "Fermé exceptionnellement, ouvre"
    )


def test_the_next_opening_skips_closed_days_and_takes_special_hours():
    holidays = HoursException(
        date_from=datetime.date(2026, 12, 28),
        date_to=datetime.date(2026, 12, 31),
        label="congés",
        closed=True,
    )
    reduced = HoursException(
        date_from=datetime.date(2027, 1, 1),
        closed=False,
        morning_open=datetime.time(10),
        morning_close=datetime.time(11, 30),
    )
    # Friday 25 December after noon, nothing until the special hours of 1 January.
    assert (
        label(WORKDAYS, [holidays, reduced], at(2026, 12, 25, 13))
        == "Fermé, ouvre le vendredi 1 janvier à 10 h"
    )
    status = opening_status(WORKDAYS, [holidays, reduced], at(2027, 1, 1, 11))
    assert status.is_open and status.label == "Ouvert jusqu'à 11 h 30"


def test_no_hours_at_all_is_unknown_never_closed():
    status = opening_status([], [], at(2026, 12, 1, 10))
    assert not status.known and status.label == "Horaires non renseignés"
    assert "Fermé" not in status.label


def test_hours_are_read_in_paris_time_across_the_changes_of_time():
    # Winter (UTC+1): 7:30 UTC is 8:30 in Paris. Summer (UTC+2): 7:30 UTC is 9:30.
    winter = datetime.datetime(2026, 3, 27, 7, 30, tzinfo=datetime.UTC)  # Friday
    summer = datetime.datetime(2026, 3, 30, 7, 30, tzinfo=datetime.UTC)  # Monday
    assert label(WORKDAYS, [], winter) == "Fermé, ouvre à 9 h"
    assert label(WORKDAYS, [], summer) == "Ouvert jusqu'à 12 h"
    # The night of the change (29 March, 2 h → 3 h), and of the change back (25 October).
    assert label(WORKDAYS, [], datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)) == (
        "Fermé aujourd'hui, ouvre demain à 9 h"
    )
    autumn = datetime.datetime(2026, 10, 26, 8, 0, tzinfo=datetime.UTC)  # Monday, 9 h in Paris
    assert label(WORKDAYS, [], autumn) == "Ouvert jusqu'à 12 h"
    assert label(WORKDAYS, [], autumn - datetime.timedelta(minutes=1)) == "Fermé, ouvre à 9 h"


def test_a_server_clock_in_utc_late_at_night_is_already_tomorrow_in_paris():
    # Monday 23:30 UTC is Tuesday 0:30 in Paris (winter).
    late = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    assert label(WORKDAYS, [], late) == "Fermé, ouvre à 9 h"
