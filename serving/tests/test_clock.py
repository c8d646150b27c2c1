"""Pages note when what they show changes by itself (serving.clock): rendered through the
test client inside `collect()` at controlled times, each time-dependent part notes the next
moment its data says it changes, and a render outside `collect()` is the same page."""

import datetime
import html as htmllib
import re

import pytest
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from communes.models import Banner, CouncilMeetingPage, EventPage, HoursException
from communes.services.hours import PARIS
from conftest import COMMUNE_A, clear_caches, host_client
from occitan.services.word_of_day import word_of_day
from serving import clock
from sitefactory.models import ProvisionedPage
from sitefactory.services.demo_content import create_demo_content

MICRO = datetime.timedelta(microseconds=1)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def paris(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), PARIS)


@pytest.fixture
def tuesday():
    """Next Tuesday in Paris (the demo mairie's Tuesdays: 9 h–12 h, 14 h–17 h 30)."""
    today = timezone.localdate(timezone=PARIS)
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


@pytest.fixture
def at(monkeypatch):
    """Set the clock; the page caches are emptied, as a new content version would be."""

    def set_clock(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        clear_caches()

    return set_clock


@pytest.fixture
def bergerac(communes, at, tuesday):
    at(paris(tuesday, 10))  # the demo's dates are counted from this Tuesday morning
    c = communes[COMMUNE_A]
    create_demo_content(type(c).objects.filter(pk=c.pk))
    c.refresh_from_db()
    HoursException.objects.filter(page=page(c, "mairie")).delete()
    clear_caches()
    return c


def page(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def render(collectivite, path):
    """The page at `path` rendered inside collect(): (its HTML, the horizon)."""
    with clock.collect() as horizon:
        response = host_client(collectivite.hostname).get(path)
    assert response.status_code == 200, path
    return htmllib.unescape(response.content.decode()), horizon


def add_event(collectivite, title, start, end):
    return page(collectivite, "agenda").add_child(
        instance=EventPage(title=title, slug=slugify(title), start=start, end=end)
    )


def test_changes_at_outside_collect_keeps_nothing():
    clock.changes_at(timezone.now())  # no block: nothing to note, nothing raised
    with clock.collect() as horizon:
        pass
    assert horizon.until is None


def test_the_mairie_open_on_the_home_changes_at_its_closing_time(bergerac, tuesday):
    html, horizon = render(bergerac, "/")
    assert "Ouvert jusqu'à 12 h" in html
    assert horizon.reasons["horaires"] == paris(tuesday, 12)
    assert horizon.until <= paris(tuesday, 12)
    html, horizon = render(bergerac, page(bergerac, "mairie").url)
    assert horizon.reasons["horaires"] == paris(tuesday, 12)
    # Today's row is marked « aujourd'hui » until midnight.
    assert 'aria-current="date"' in html
    assert horizon.reasons["jour courant"] == paris(tuesday + DAY, 0)


def test_a_closed_mairie_changes_at_its_next_opening_or_at_midnight(bergerac, tuesday, at):
    at(paris(tuesday, 12, 30))
    html, horizon = render(bergerac, "/")
    assert "Fermé, ouvre à 14 h" in html
    assert horizon.reasons["horaires"] == paris(tuesday, 14)
    at(paris(tuesday, 18))  # « Fermé, ouvre demain à 9 h » is wrong from midnight
    html, horizon = render(bergerac, "/")
    assert "ouvre demain à 9 h" in html
    assert horizon.reasons["horaires"] == paris(tuesday + DAY, 0)
    sunday = tuesday + datetime.timedelta(days=5)
    at(paris(sunday, 10))
    html, horizon = render(bergerac, "/")
    assert "Fermé aujourd'hui, ouvre lundi" in html or "Fermé aujourd'hui, ouvre demain" in html
    assert horizon.reasons["horaires"] == paris(sunday + DAY, 0)


def test_an_exceptional_closure_changes_at_its_end(bergerac, tuesday, at):
    mairie = page(bergerac, "mairie")
    HoursException.objects.create(
        page=mairie, date_from=tuesday, date_to=tuesday + DAY, closed=True, label="Inventaire"
    )
    at(paris(tuesday, 10))
    html, horizon = render(bergerac, mairie.url)
    assert "Fermé exceptionnellement (Inventaire)" in html
    # The status is the day's (it says « ouvre jeudi »), the list of exceptions drops this
    # one when it is over, at Thursday's midnight.
    assert horizon.reasons["horaires"] == paris(tuesday + DAY, 0)
    assert horizon.reasons["exceptions"] == paris(tuesday + 2 * DAY, 0)


def test_banners_note_the_next_start_and_the_first_end(bergerac, tuesday, at):
    Banner.objects.all().delete()
    friday = tuesday + datetime.timedelta(days=3)
    common = {"site_id": bergerac.site_id, "live": True, "text": ""}
    Banner.objects.create(
        title="Travaux rue du port", start=paris(tuesday + DAY, 8), end=paris(friday, 20), **common
    )
    Banner.objects.create(
        title="Collecte décalée", start=paris(tuesday, 8), end=paris(friday, 18), **common
    )
    at(paris(tuesday, 10))
    html, horizon = render(bergerac, "/")
    assert "Collecte décalée" in html and "Travaux rue du port" not in html
    assert horizon.reasons["bandeaux"] == paris(tuesday + DAY, 8)
    at(paris(tuesday + DAY, 8))
    html, horizon = render(bergerac, page(bergerac, "mairie").url)
    assert "Collecte décalée" in html and "Travaux rue du port" in html
    assert horizon.reasons["bandeaux"] == paris(friday, 18)
    at(paris(friday, 18))
    html, horizon = render(bergerac, "/")
    assert "Collecte décalée" not in html and "Travaux rue du port" in html
    assert horizon.reasons["bandeaux"] == paris(friday, 20)


def test_an_event_that_ends_leaves_the_agenda_and_the_home(bergerac, tuesday, at):
    home = bergerac.home_page
    EventPage.objects.descendant_of(home).delete()
    now = paris(tuesday, 10)
    add_event(bergerac, "Vide-grenier", now - datetime.timedelta(hours=1), now + 2 * HOUR)
    add_event(bergerac, "Concert", paris(tuesday + DAY, 20), paris(tuesday + DAY, 23))
    at(now)
    agenda = page(bergerac, "agenda").url
    for path, reason in (("/", "événements"), (agenda, "agenda")):
        html, horizon = render(bergerac, path)
        assert "Vide-grenier" in html and "Concert" in html
        assert horizon.reasons[reason] == now + 2 * HOUR + MICRO
    at(now + 2 * HOUR + MICRO)
    for path, reason in (("/", "événements"), (agenda, "agenda")):
        html, horizon = render(bergerac, path)
        assert "Vide-grenier" not in html and "Concert" in html
        assert horizon.reasons[reason] == paris(tuesday + DAY, 23) + MICRO


def test_the_next_council_meeting_moves_to_the_past_when_it_starts(bergerac, at):
    meeting = CouncilMeetingPage.objects.descendant_of(bergerac.home_page).get(
        date__gte=timezone.now()
    )
    _html, horizon = render(bergerac, "/")
    assert horizon.reasons["prochain conseil"] == meeting.date + MICRO
    _html, horizon = render(bergerac, page(bergerac, "conseil").url)
    assert horizon.reasons["séances"] == meeting.date + MICRO
    html, horizon = render(bergerac, meeting.url)
    assert horizon.reasons["séance passée"] == meeting.date + MICRO
    at(meeting.date + MICRO)
    after, horizon = render(bergerac, meeting.url)
    assert after != html and "séance passée" not in horizon.reasons


def test_the_word_of_the_day_changes_at_midnight(db, tuesday, at):
    at(paris(tuesday, 23, 59))
    with clock.collect() as horizon:
        word_of_day()
    assert horizon.reasons["mot du jour"] == paris(tuesday + DAY, 0)
    with clock.collect() as horizon:
        word_of_day(on=tuesday)  # a given day's word does not change
    assert horizon.until is None


def test_a_page_that_expires_notes_its_expiry(bergerac, tuesday):
    mairie = page(bergerac, "mairie")
    Page.objects.filter(pk=mairie.pk).update(expire_at=paris(tuesday, 11, 15))
    clear_caches()
    _html, horizon = render(bergerac, mairie.url)
    assert horizon.reasons["expiration de la page"] == paris(tuesday, 11, 15)
    assert horizon.until == paris(tuesday, 11, 15)  # before the mairie closes at noon


def comparable(html):
    """A render without what differs from one request to the next (tokens, nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def test_every_page_renders_the_same_outside_collect(bergerac):
    client = host_client(bergerac.hostname)
    pages = Page.objects.descendant_of(bergerac.home_page, inclusive=True).live().specific()
    seen = set()
    for each in pages:
        url = each.get_url()
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen.add(type(each).__name__)
        with clock.collect():
            collected = client.get(url)
        assert collected.status_code == 200, url
        assert comparable(collected.content.decode()) == comparable(response.content.decode())
    assert {"CollectiviteHomePage", "MairiePage", "EventPage", "CouncilMeetingPage"} <= seen


def test_the_pays_agenda_and_the_portal_home_note_the_first_event_to_end(
    communes, pays, tuesday, at
):
    now = paris(tuesday, 10)
    at(now)
    bergerac = communes[COMMUNE_A]
    EventPage.objects.all().delete()
    add_event(bergerac, "Bal du port", now - HOUR, now + 2 * HOUR)
    add_event(bergerac, "Loto", paris(tuesday + DAY, 20), paris(tuesday + DAY, 23))
    clear_caches()
    client = host_client(pays.hostname)
    for path, reason in (("/", "à venir dans le Pays"), ("/agenda/", "agenda du Pays")):
        with clock.collect() as horizon:
            html = htmllib.unescape(client.get(path).content.decode())
        assert "Bal du port" in html and "Loto" in html
        assert horizon.reasons[reason] == now + 2 * HOUR + MICRO
