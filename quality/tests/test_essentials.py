"""The facts, to-dos and score of each site (quality.services.checks)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communes.models import Collectivite, CouncilMeetingPage, MairiePage
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C
from quality.models import LinkIssue
from quality.services.checks import site_quality
from sitefactory.services.demo_content import create_demo_content

pytestmark = pytest.mark.django_db


def _codes(quality):
    return {todo.code for todo in quality.todos}


def _quality(collectivite):
    return site_quality([Collectivite.objects.get(pk=collectivite.pk)])[0]


def test_a_freshly_provisioned_commune_lacks_hours_officials_photo_news_and_minutes(communes):
    quality = _quality(communes[COMMUNE_B])
    codes = _codes(quality)
    assert {"hours", "officials", "photo", "news", "minutes"} <= codes
    # The blueprint writes the legal pages with their text: they are there.
    assert not [code for code in codes if code.startswith("legal")]
    assert 0 < quality.score < 60
    assert all(todo.admin_url.startswith("/admin/") for todo in quality.todos)


def test_demo_content_fills_the_essentials_and_raises_the_score(communes):
    before = _quality(communes[COMMUNE_A]).score
    create_demo_content(Collectivite.objects.filter(pk=communes[COMMUNE_A].pk))
    quality = _quality(communes[COMMUNE_A])
    assert not {"hours", "officials", "photo", "contact", "news"} & _codes(quality)
    assert quality.news_age is not None and quality.news_age < 10
    assert quality.score > before
    assert quality.last_edit is not None


def test_the_minutes_of_the_last_council_are_a_todo_once_the_grace_period_is_over(communes):
    commune = communes[COMMUNE_A]
    create_demo_content(Collectivite.objects.filter(pk=commune.pk))
    meeting = CouncilMeetingPage.objects.descendant_of(commune.home_page).filter(
        date__lt=timezone.now()
    )[0]
    meeting.minutes = None
    meeting.save_revision().publish()
    todos = [todo for todo in _quality(commune).todos if todo.code == "minutes"]
    assert len(todos) == 1
    assert "non publié" in todos[0].label
    assert todos[0].admin_url == f"/admin/pages/{meeting.pk}/edit/"


def test_an_empty_legal_page_and_a_missing_one_are_both_todos(communes):
    commune = communes[COMMUNE_C]
    home = commune.home_page
    legal = home.get_children().get(slug="mentions-legales").specific
    legal.intro = ""
    legal.save_revision().publish()
    home.get_children().get(slug="donnees-personnelles").unpublish()
    labels = {todo.code: todo.label for todo in _quality(commune).todos}
    assert "vide" in labels["legal:mentions-legales"]
    assert "absente" in labels["legal:donnees-personnelles"]


def test_link_issues_are_counted_by_kind_and_lower_the_score(communes):
    commune = communes[COMMUNE_B]
    before = _quality(commune).score
    for n in range(2):
        LinkIssue.objects.create(
            site_id=commune.site_id,
            kind=LinkIssue.Kind.BROKEN_LINK,
            url=f"https://example.org/{n}",
            last_seen=timezone.now(),
        )
    quality = _quality(commune)
    assert quality.broken_links == 2
    assert quality.images_without_alt == 0
    assert quality.score == max(0, before - 6)


def test_an_epci_is_not_held_to_a_photo(communes):
    epci = Collectivite.objects.filter(kind=Collectivite.Kind.EPCI).first()
    from conftest import provision_codes

    provision_codes([epci.code])
    codes = _codes(_quality(epci))
    assert "photo" not in codes
    assert "hours" in codes


def test_the_number_of_queries_does_not_grow_with_the_number_of_sites(communes):
    few = list(Collectivite.objects.filter(code__in=[COMMUNE_A]))
    many = list(Collectivite.objects.filter(code__in=[COMMUNE_A, COMMUNE_B, COMMUNE_C, "PAYS"]))
    site_quality(few)  # ContentType cache warm
    with CaptureQueriesContext(connection) as one:
        site_quality(few)
    with CaptureQueriesContext(connection) as three:
        site_quality(many)
    assert len(three) == len(one)


def test_stale_news_is_reported_with_its_age(communes, settings):
    commune = communes[COMMUNE_A]
    create_demo_content(Collectivite.objects.filter(pk=commune.pk))
    settings.QUALITY_STALE_NEWS_DAYS = 1
    quality = site_quality([commune], now=timezone.now() + datetime.timedelta(days=30))[0]
    news = [todo for todo in quality.todos if todo.code == "news"][0]
    assert news.stale and "jours" in news.label
    assert MairiePage.objects.descendant_of(commune.home_page).exists()


def test_the_demo_leaves_some_communes_with_gaps_so_that_scores_differ(communes):
    from conftest import provision_codes

    provision_codes(["24234"])  # Les Lèches: no officials, no minutes, older news
    les_leches = Collectivite.objects.get(code="24234")
    both = Collectivite.objects.filter(pk__in=[les_leches.pk, communes[COMMUNE_A].pk])
    create_demo_content(both)
    gaps, full = site_quality([les_leches, Collectivite.objects.get(code=COMMUNE_A)])
    assert {"officials", "minutes", "news"} <= _codes(gaps)
    assert "hours" not in _codes(gaps)
    assert full.todos == [] and full.score == 100
    assert 0 < gaps.score < full.score
