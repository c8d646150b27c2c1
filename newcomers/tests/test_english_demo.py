"""`make seed` ships the guide in English: seed_newcomers makes the portal's English home (an
alias of the French one) and translates the guide below it; seed_applications translates the
form. The portal's other pages keep their French fallback under /en/."""

import re
from html import escape

import pytest
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale, Page, Site

from communes.models import PortalHomePage
from newcomers.applications.demo import create_demo_applications
from newcomers.models import ApplicationPage, GuideIndexPage
from newcomers.services.demo_english import translate_demo_guide


@pytest.fixture
def english_guide(guide):
    report = translate_demo_guide()
    assert report.home_created and report.translated == 14
    return report


def _note():
    with translation.override("en"):
        return escape(gettext("Cette page n'existe pas encore en anglais."))


def test_the_english_guide_has_its_language_a_switcher_and_hreflang(
    english_guide, portal_client, pays
):
    response = portal_client.get("/en/settle-in/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html and _note() not in html
    assert "<h1>Settle in the Bergerac area</h1>" in html
    root = Site.objects.get(root_page_id=pays.home_page_id).root_url
    for code, path in (("fr", "/installez-vous/"), ("en", "/en/settle-in/")):
        assert f'<link rel="alternate" hreflang="{code}" href="{root}{path}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{root}/installez-vous/">' in html
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert 'href="/installez-vous/" hreflang="fr" lang="fr">Français</a>' in switcher
    assert 'href="/en/settle-in/" hreflang="en" lang="en" aria-current="page">English' in switcher

    french = portal_client.get("/installez-vous/").content.decode()
    assert '<html lang="fr"' in french
    assert f'<link rel="alternate" hreflang="en" href="{root}/en/settle-in/">' in french
    assert 'href="/en/settle-in/" hreflang="en" lang="en">English</a>' in french


def test_the_english_home_is_an_alias_and_other_pages_keep_their_french_fallback(
    english_guide, portal_client
):
    portal = PortalHomePage.objects.get(locale=Locale.get_default())
    english = Page.objects.get(translation_key=portal.translation_key, locale__language_code="en")
    assert english.alias_of_id == portal.pk and english.live
    home = portal_client.get("/en/").content.decode()
    assert '<html lang="fr"' in home and _note() in home
    communes = portal_client.get("/en/communes/")
    assert communes.status_code == 200
    html = communes.content.decode()
    assert '<html lang="fr"' in html and _note() in html
    assert portal_client.get("/en/search/").status_code == 200


def test_the_english_form_is_below_the_english_guide(english_guide, portal_client):
    report = create_demo_applications()
    assert report.page_created and report.english_page_created
    english = ApplicationPage.objects.get(locale__language_code="en")
    assert english.get_parent().specific == GuideIndexPage.objects.get(locale__language_code="en")
    response = portal_client.get("/en/settle-in/apply/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html and "<h1>Apply</h1>" in html
    again = create_demo_applications()
    assert not again.page_created and not again.english_page_created
    assert ApplicationPage.objects.count() == 2


def test_a_second_run_changes_nothing(english_guide):
    pages = Page.objects.count()
    report = translate_demo_guide()
    assert not report.home_created and report.translated == 0
    assert Page.objects.count() == pages


@pytest.mark.parametrize("path", ["/en/settle-in/", "/en/settle-in/housing/"])
def test_the_english_guide_costs_few_queries(
    english_guide, portal_client, path, django_assert_max_num_queries
):
    portal_client.get(path)
    with django_assert_max_num_queries(10):
        assert portal_client.get(path).status_code == 200, path


def test_the_english_offers_list_shows_the_offers_not_yet_translated_in_french(
    english_guide, portal_client
):
    from bs4 import BeautifulSoup

    from newcomers.models import OfferPage

    response = portal_client.get("/en/settle-in/businesses-for-sale/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    links = soup.select(".offers-list h3 a")
    french = OfferPage.objects.filter(locale=Locale.get_default()).current()
    assert sorted(a.get_text() for a in links) == sorted(french.values_list("title", flat=True))
    for link in links:
        # Marked as French, and opened through /en/: the French page with the English note.
        assert link["lang"] == "fr" and link["href"].startswith("/en/installez-vous/")
        page = portal_client.get(link["href"])
        assert page.status_code == 200 and _note() in page.content.decode()
    rss = portal_client.get("/en/settle-in/businesses-for-sale/rss/").content.decode()
    assert rss.count("<item>") == len(links)
