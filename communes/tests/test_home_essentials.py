"""A commune's home page answers first (the mairie's status today, its phone, the next
council), « La mairie » marks today, and the demo's times are Paris times everywhere."""

import datetime
import html as htmllib
import json
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from communes.models import Banner, BulletinPage, CouncilMeetingPage, EventPage, HoursException
from communes.services.hours import PARIS
from conftest import COMMUNE_A, clear_caches, host_client
from sitefactory.models import ProvisionedPage
from sitefactory.services.demo_content import create_demo_content


def page(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


@pytest.fixture
def bergerac(communes):
    c = communes[COMMUNE_A]
    create_demo_content(type(c).objects.filter(pk=c.pk))
    c.refresh_from_db()
    return c


def text(response):
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


def essentials(html):
    return html[
        html.index('class="essentials"') : html.index("</section>", html.index("essentiel"))
    ]


def jsonld_events(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [data for data in map(json.loads, found) if data.get("@type") == "Event"]


def test_the_demo_council_is_at_18_30_paris_time_in_banner_pages_and_json_ld(bergerac):
    meeting = (
        CouncilMeetingPage.objects.descendant_of(bergerac.home_page)
        .filter(date__gte=timezone.now())
        .get()
    )
    local = meeting.date.astimezone(PARIS)
    assert (local.hour, local.minute) == (18, 30)
    client = host_client(bergerac.hostname)
    banner = Banner.objects.get(site_id=bergerac.site_id)
    assert banner.title.endswith(f"le {local:%d/%m} à 18 h 30")
    home = text(client.get("/"))
    assert "18 h 30" in essentials(home) and banner.title in home
    with override("fr"):
        day = date_format(local, "l j F")
    assert f"{day}, 18 h 30" in essentials(home)
    page_html = text(client.get(meeting.url))
    assert f"{day} {local.year}, 18 h 30" in page_html
    (event,) = jsonld_events(page_html)
    assert datetime.datetime.fromisoformat(event["startDate"]) == meeting.date
    assert event["startDate"].startswith(f"{local:%Y-%m-%d}T18:30:00+0")


def test_the_demo_market_is_at_8_h_paris_time_in_pages_ical_and_json_ld(bergerac):
    market = EventPage.objects.descendant_of(bergerac.home_page).get(slug="marche-producteurs")
    local = market.start.astimezone(PARIS)
    assert (local.hour, local.minute) == (8, 0)
    client = host_client(bergerac.hostname)
    assert f"{market.title}" in text(client.get("/"))
    assert ", 8 h</time>" in text(client.get(market.url))
    ical = text(client.get(market.url + "ical/"))
    utc = market.start.astimezone(datetime.UTC)
    assert f"DTSTART:{utc:%Y%m%dT%H%M%S}Z" in ical
    (event,) = jsonld_events(text(client.get(market.url)))
    assert event["startDate"] == local.isoformat() and "T08:00:00+0" in event["startDate"]
    agenda = text(client.get(page(bergerac, "agenda").url + "ical/"))
    assert f"DTSTART:{utc:%Y%m%dT%H%M%S}Z" in agenda


def test_the_demo_bulletin_is_titled_with_a_french_month(bergerac):
    bulletin = BulletinPage.objects.descendant_of(bergerac.home_page).get()
    with override("fr"):
        month = date_format(timezone.localdate(timezone=PARIS), "F Y")
    assert bulletin.title == f"Bulletin municipal — {month}"
    assert not re.search(r"January|February|March|April|May|June|July|August|September|"
                         r"October|November|December", bulletin.title)  # fmt: skip


def test_the_home_page_opens_on_the_status_the_phone_and_the_next_council(bergerac):
    mairie = page(bergerac, "mairie")
    home = text(host_client(bergerac.hostname).get("/"))
    block = essentials(home)
    assert home.index('class="essentials"') < home.index("home__photo")
    assert mairie.status.label in block
    digits = mairie.phone.replace(" ", "")
    assert f'href="tel:{digits}"' in block and mairie.phone in block
    assert "Prochain conseil municipal" in block
    # The mairie's heading is not repeated further down.
    assert home.count(">La mairie</h") == 1


def test_the_status_on_the_home_page_follows_the_clock_without_a_publication(bergerac, monkeypatch):
    client = host_client(bergerac.hostname)
    # Next Tuesday, 10 h then 13 h in Paris (the demo's Tuesdays: 9 h–12 h, 14 h–17 h 30).
    today = timezone.localdate(timezone=PARIS)
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    HoursException.objects.filter(page=page(bergerac, "mairie")).delete()
    clear_caches()
    morning = datetime.datetime.combine(tuesday, datetime.time(10), PARIS)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    assert "Ouvert jusqu'à 12 h" in essentials(text(client.get("/")))
    monkeypatch.setattr(timezone, "now", lambda: morning.replace(hour=13))
    assert "Fermé, ouvre à 14 h" in essentials(text(client.get("/")))


def test_home_and_mairie_cost_no_query_once_warm(bergerac, django_assert_num_queries):
    client = host_client(bergerac.hostname)
    for path in ("/", "/mairie/"):
        clear_caches()
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200
        with django_assert_num_queries(0):
            assert client.get(path).status_code == 200


def test_the_mairie_marks_today_and_lists_exceptions_to_come_by_date(bergerac):
    mairie = page(bergerac, "mairie")
    today = timezone.localdate(timezone=PARIS)
    HoursException.objects.bulk_create(
        [
            HoursException(page=mairie, date_from=today + datetime.timedelta(days=40),
                           label="élections", closed=True),
            HoursException(page=mairie, date_from=today + datetime.timedelta(days=8),
                           label="inventaire", closed=True),
            HoursException(page=mairie, date_from=today - datetime.timedelta(days=3),
                           label="passée", closed=True),
        ]
    )  # fmt: skip
    clear_caches()
    html = text(host_client(bergerac.hostname).get("/mairie/"))
    weekday = date_format(today, "l").capitalize()
    assert f'<tr aria-current="date"><th scope="row">{weekday} <span' in html
    assert html.count('aria-current="date"') == 1 and "(aujourd'hui)" in html
    listed = re.findall(r"\(([^()]+)\)</li>", html)
    assert "passée" not in html
    dated = sorted(
        HoursException.objects.filter(page=mairie, date_to__isnull=True),
        key=lambda e: e.date_from,
    )
    expected = [e.label for e in dated if e.date_from >= today]
    assert [label for label in listed if label in expected] == expected


def test_the_mairie_moves_its_today_mark_at_midnight_without_a_publication(bergerac, monkeypatch):
    """The week of hours is memoised per content version and per day: the next day marks
    the next row, with no change to the content."""
    client = host_client(bergerac.hostname)
    monday = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)
    for day in range(2):
        moment = monday + datetime.timedelta(days=day)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        html = text(client.get("/mairie/"))
        weekday = date_format(moment.date(), "l").capitalize()
        assert f'<tr aria-current="date"><th scope="row">{weekday} <span' in html
        assert html.count('aria-current="date"') == 1


def test_a_mairie_without_hours_says_so_and_never_closed(communes):
    bergerac = communes[COMMUNE_A]
    bergerac.refresh_from_db()
    mairie = page(bergerac, "mairie")
    mairie.phone = "05 53 00 00 00"
    mairie.save_revision().publish()
    client = host_client(bergerac.hostname)
    for path in ("/", "/mairie/"):
        html = text(client.get(path))
        assert "Horaires non renseignés" in html and "status--unknown" in html
        assert "Fermé" not in html and 'class="hours"' not in html


def test_the_demo_is_written_in_french_whatever_language_is_active(communes):
    bergerac = communes[COMMUNE_A]
    with override("en"):
        create_demo_content(type(bergerac).objects.filter(pk=bergerac.pk))
    banner = Banner.objects.get(site_id=bergerac.site_id)
    assert banner.title.endswith("à 18 h 30"), banner.title
    bulletin = BulletinPage.objects.descendant_of(bergerac.home_page).get()
    with override("fr"):
        assert bulletin.title.endswith(date_format(timezone.localdate(timezone=PARIS), "F Y"))
