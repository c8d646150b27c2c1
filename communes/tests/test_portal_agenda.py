"""The Pays' agenda and news on the portal: what the collectivités relay, filtered, with
its RSS and iCal feeds, and a warm view that costs no query."""

import datetime
import html as htmllib

import pytest
from django.utils import timezone
from django.utils.text import slugify

from communes.models import Collectivite, EventPage, NewsPage
from communes.services import pays_agenda
from communes.services.hours import PARIS
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, clear_caches, host_client
from sitefactory.models import ProvisionedPage

AGENDA = "/agenda/"


def page(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def add_event(collectivite, title, days, hours=3, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    return page(collectivite, "agenda").add_child(
        instance=EventPage(
            title=title,
            slug=slugify(title),
            start=start,
            end=start + datetime.timedelta(hours=hours),
            **fields,
        )
    )


def add_news(collectivite, title, days_ago=1, **fields):
    return page(collectivite, "actualites").add_child(
        instance=NewsPage(
            title=title,
            slug=slugify(title),
            date=timezone.localdate() - datetime.timedelta(days=days_ago),
            **fields,
        )
    )


@pytest.fixture
def three(communes):
    found = {}
    for name, code in (("bergerac", COMMUNE_A), ("lalinde", COMMUNE_B), ("eymet", COMMUNE_C)):
        found[name] = Collectivite.objects.select_related("epci").get(code=code)
    return found


@pytest.fixture
def client(pays):
    return host_client(pays.hostname)


def text(response, status=200):
    assert response.status_code == status, response.status_code
    return htmllib.unescape(response.content.decode())


def test_the_agenda_lists_the_events_of_several_communes_with_links_to_their_sites(three, client):
    add_event(three["bergerac"], "Marché de Noël", days=3, place="Place Pélissière")
    add_event(three["lalinde"], "Concert du pont", days=5)
    html = text(client.get(AGENDA))
    assert "Marché de Noël" in html and "Concert du pont" in html
    assert html.index("Marché de Noël") < html.index("Concert du pont")
    assert "Bergerac, Place Pélissière" in html
    assert f'href="http://{three["bergerac"].hostname}/agenda/marche-de-noel/"' in html
    assert "2 événements à venir" in html


def test_an_item_the_commune_does_not_relay_stays_off_the_portal(three, client):
    add_event(three["bergerac"], "Fete publique", days=2)
    add_event(three["bergerac"], "Reunion interne", days=2, relay_to_portal=False)
    add_news(three["lalinde"], "Travaux du pont")
    add_news(three["lalinde"], "Cantine du trimestre", relay_to_portal=False)
    events = text(client.get(AGENDA))
    assert "Fete publique" in events and "Reunion interne" not in events
    news = text(client.get(AGENDA, {"categorie": "actualites"}))
    assert "Travaux du pont" in news and "Cantine du trimestre" not in news
    assert "Fete publique" not in news


def test_a_past_event_is_not_listed_as_upcoming_but_dates_find_it(three, client):
    add_event(three["bergerac"], "Foire passee", days=-10)
    add_event(three["bergerac"], "Foire prochaine", days=10)
    html = text(client.get(AGENDA))
    assert "Foire prochaine" in html and "Foire passee" not in html
    past = (timezone.localdate() - datetime.timedelta(days=11)).isoformat()
    html = text(client.get(AGENDA, {"du": past, "au": timezone.localdate().isoformat()}))
    assert "Foire passee" in html and "Foire prochaine" not in html


def test_filters_by_epci_by_collectivite_and_by_period(three, client):
    add_event(three["bergerac"], "Bal de Bergerac", days=1)
    add_event(three["lalinde"], "Bal de Lalinde", days=1)
    add_event(three["eymet"], "Bal d'Eymet", days=40)
    epci = three["lalinde"].epci
    assert epci is not None and epci != three["bergerac"].epci
    html = text(client.get(AGENDA, {"epci": epci.slug}))
    assert "Bal de Lalinde" in html and "Bal de Bergerac" not in html
    html = text(client.get(AGENDA, {"commune": three["bergerac"].slug}))
    assert "Bal de Bergerac" in html and "Bal de Lalinde" not in html
    html = text(client.get(AGENDA, {"periode": "mois"}))
    if (timezone.localdate() + datetime.timedelta(days=1)).month == timezone.localdate().month:
        assert "Bal de Bergerac" in html
    assert "Bal d'Eymet" not in html


def test_a_filtered_form_shows_the_choice_after_the_unfiltered_one_was_memoised(three, client):
    slug = three["lalinde"].slug
    chosen = f'<option value="{slug}" selected>'
    assert chosen not in text(client.get(AGENDA))
    assert chosen in text(client.get(AGENDA, {"commune": slug}))
    html = text(client.get(AGENDA))
    assert chosen not in html and f'<option value="{slug}">' in html


def test_the_weekend_and_the_week_are_those_of_paris(three, client, monkeypatch):
    thursday = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=PARIS)
    monkeypatch.setattr(timezone, "now", lambda: thursday)
    saturday = datetime.datetime(2026, 12, 5, 15, 0, tzinfo=PARIS)
    monday = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=PARIS)
    for title, start in (("Loto du samedi", saturday), ("Atelier du lundi", monday)):
        page(three["bergerac"], "agenda").add_child(
            instance=EventPage(
                title=title,
                slug=slugify(title),
                start=start,
                end=start + datetime.timedelta(hours=2),
            )
        )
    weekend = text(client.get(AGENDA, {"periode": "weekend"}))
    assert "Loto du samedi" in weekend and "Atelier du lundi" not in weekend
    week = text(client.get(AGENDA, {"periode": "semaine"}))
    assert "Loto du samedi" in week and "Atelier du lundi" not in week
    assert "samedi 5 décembre 2026" in week


@pytest.mark.parametrize(
    "query",
    [
        {"epci": "999999"},
        {"commune": "nulle-part"},
        {"du": "pas-une-date"},
        {"du": "9999-12-31"},
        {"du": "2026-12-10", "au": "2026-12-01"},
        {"periode": "\x00"},
        {"categorie": "x" * 5000},
    ],
)
def test_a_filter_not_understood_gives_a_french_message_and_the_list_without_it(
    three, client, query
):
    add_event(three["bergerac"], "Bal masque", days=2)
    html = text(client.get(AGENDA, query), status=400)
    assert '<div class="form-errors" role="alert"' in html
    assert "En attendant, voici la liste sans ce filtre." in html
    assert "Bal masque" in html
    assert 'value="pas-une-date"' not in html  # <input type=date> takes dates only
    for feed in ("rss/", "ical/"):
        assert client.get(AGENDA + feed, query).status_code == 200


def test_garbage_page_numbers_show_a_page(three, client):
    for value in ("abc", "-1", "9" * 50):
        assert client.get(AGENDA, {"page": value}).status_code == 200


def test_rss_and_ical_honour_the_filters(three, client):
    add_event(three["bergerac"], "Marché, place; du marché", days=2, place="Halle")
    add_event(three["lalinde"], "Concert à Lalinde", days=2)
    add_news(three["bergerac"], "Nouveau parking")

    ical = client.get(AGENDA + "ical/", {"commune": three["bergerac"].slug})
    assert ical["Content-Type"].startswith("text/calendar")
    body = ical.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "SUMMARY:Marché\\, place\\; du marché" in body
    assert "LOCATION:Halle\\, Bergerac" in body
    assert "Lalinde" not in body
    event = EventPage.objects.get(title__startswith="Marché, place")
    # The UID its commune's own feed gives it: a calendar subscribed to both shows it once.
    assert f"UID:event-{event.pk}@{three['bergerac'].hostname}" in body
    assert "DTSTART:" in body and body.count("BEGIN:VEVENT") == 1

    rss = client.get(AGENDA + "rss/", {"categorie": "actualites"})
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "Nouveau parking (Bergerac)" in body and "Concert" not in body
    events = client.get(AGENDA + "rss/", {"epci": three["lalinde"].epci.slug}).content.decode()
    assert "Concert à Lalinde (Lalinde)" in events and "Marché" not in events


def test_the_portal_home_shows_what_is_coming_in_the_pays(three, client):
    add_event(three["eymet"], "Fete de la bastide", days=4)
    add_event(three["eymet"], "Fete finie", days=-4)
    html = text(client.get("/"))
    section = html[html.index("À venir dans le Pays") :]
    assert "Fete de la bastide" in section and "Fete finie" not in section
    assert "Eymet" in section
    assert "Tout l'agenda du Pays" in section


def test_the_agenda_costs_no_query_once_warm_and_few_cold(
    three, client, django_assert_max_num_queries, django_assert_num_queries
):
    add_event(three["bergerac"], "Bal", days=2)
    add_news(three["lalinde"], "Nouvelle")
    # What the agenda reads, once per content version, for the home, the page and its feeds.
    with django_assert_max_num_queries(10):
        data = pays_agenda._build()
    assert [e.title for e in data["events"]] == ["Bal"]
    for path, query in (
        ("/", {}),
        (AGENDA, {}),
        (AGENDA, {"categorie": "actualites", "epci": three["lalinde"].epci.slug}),
        (AGENDA + "rss/", {}),
        (AGENDA + "ical/", {"periode": "mois"}),
    ):
        clear_caches()
        assert client.get(path, query).status_code == 200
        with django_assert_num_queries(0):
            assert client.get(path, query).status_code == 200
