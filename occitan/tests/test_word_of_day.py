"""The « mot del jorn »: one live entry a day, the same on every site, free once cached, and
shown on commune home pages unless the site turns it off."""

import datetime
import re

import pytest
from django.utils import timezone

from conftest import COMMUNE_A, COMMUNE_B, host_client
from occitan.models import Entry, OccitanSiteSettings
from occitan.services.word_of_day import day_index, word_of_day

DAY = datetime.date(2026, 12, 3)


@pytest.fixture
def lexicon(db):
    entries = [
        Entry.objects.create(
            slug=f"mot-{n}",
            french=f"mot {n}",
            occitan=f"lo mot {n}",
            example_oc=f"Aquò es lo mot {n}.",
            live=True,
        )
        for n in range(7)
    ]
    Entry.objects.create(slug="a-relire", french="à relire", occitan="de tornar legir", live=False)
    return entries


def test_the_day_picks_a_stable_index_from_its_date():
    assert day_index(DAY, 7) == day_index(datetime.date(2026, 12, 3), 7)
    assert {day_index(DAY + datetime.timedelta(days=n), 1000) for n in range(30)} != {0}
    assert all(0 <= day_index(DAY + datetime.timedelta(days=n), 7) < 7 for n in range(60))


def test_the_word_is_a_live_entry_chosen_by_the_date(lexicon):
    word = word_of_day(DAY)
    assert word.slug == lexicon[day_index(DAY, 7)].slug
    assert word.occitan.startswith("lo mot") and word.french.startswith("mot")
    assert word.path == f"/occitan/mot/{word.slug}/"
    assert word.url.endswith(word.path) and word.url.startswith("http")
    days = {word_of_day(DAY + datetime.timedelta(days=n)).slug for n in range(40)}
    assert len(days) > 1 and "a-relire" not in days


def test_no_live_entry_no_word(db):
    Entry.objects.create(slug="a-relire", french="à relire", occitan="de tornar legir", live=False)
    assert word_of_day(DAY) is None


def test_the_word_costs_no_query_once_cached(lexicon, django_assert_num_queries):
    first = word_of_day(DAY)
    with django_assert_num_queries(0):
        assert word_of_day(DAY) == first


def test_a_change_to_the_lexicon_is_seen_at_once(lexicon):
    word = word_of_day(DAY)
    entry = Entry.objects.get(slug=word.slug)
    entry.french = "changé"
    entry.save()
    assert word_of_day(DAY).french == "changé"


def word_panel(client):
    html = client.get("/").content.decode()
    match = re.search(r'<section class="word-of-day".*?</section>', html, re.S)
    return match.group() if match else None


@pytest.fixture
def homes(communes, lexicon):
    return [host_client(communes[code].hostname) for code in (COMMUNE_A, COMMUNE_B)]


def test_commune_home_pages_show_the_same_word_marked_as_occitan(homes, lexicon):
    word = word_of_day()
    panels = [word_panel(client) for client in homes]
    assert panels[0] is not None and panels[0] == panels[1]
    assert f'<strong lang="oc">{word.occitan}</strong>' in panels[0]
    assert f'<q lang="oc">{word.example_oc}</q>' in panels[0]
    assert word.french in panels[0]
    assert f'<a href="{word.url}">Découvrir l\'occitan' in panels[0]


def test_the_home_page_shows_the_new_word_after_midnight(homes, lexicon, monkeypatch):
    client = homes[0]
    before = word_panel(client)
    assert word_panel(client) == before  # warm: same content version, same day
    today = timezone.localdate()
    tomorrow = next(
        today + datetime.timedelta(days=n)
        for n in range(1, 30)
        if day_index(today + datetime.timedelta(days=n), 7) != day_index(today, 7)
    )
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    after = word_panel(client)
    assert after != before
    assert word_of_day(tomorrow).occitan in after


def test_a_site_may_turn_the_word_off(communes, homes):
    client = homes[0]
    assert word_panel(client) is not None
    OccitanSiteSettings.objects.create(site=communes[COMMUNE_A].site, show_word_of_day=False)
    assert word_panel(client) is None
    assert word_panel(homes[1]) is not None


def test_the_home_page_still_costs_no_more_queries_once_warm(homes, django_assert_max_num_queries):
    client = homes[0]
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    with django_assert_max_num_queries(10) as captured:
        assert client.get("/").status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "occitan_" not in sql
