"""« Installez-vous »: the guide, the offers and the application form in Chromium, in French
and in English.

axe-core finds no violation on any page (WCAG 2.x A and AA, and best practices, as the other
browser tests check); the offers' filters and the form are sent as plain HTML forms with
JavaScript switched off; the testimonial's outside video is not asked for before the click.

The world has the guide in French (`seed_newcomers`, `seed_applications`). The English pages
are made here with wagtail-localize's `copy_for_translation`, from the demo's own English text,
below an English alias of the portal's home: the world itself stays French, so the other
browser tests keep the French fallback under /en/.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from selenium.webdriver.support.ui import Select
from wagtail.models import Locale

from newcomers import models as guide
from newcomers.applications.demo import create_demo_applications
from newcomers.models import (
    Application,
    ApplicationPage,
    GuideIndexPage,
    GuideTopicPage,
    OfferIndexPage,
    OfferPage,
)
from newcomers.services.demo_english import translate_demo_guide
from tests.browser.conftest import DESKTOP, MOBILE, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIDEO_HOST = "peertube.example.org"  # the demo testimonial's outside video


def _translate(page, locale, fields):
    """The page in `locale`: the one already made if there is one, else a fresh copy."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    translated.save_revision().publish()
    return translated


@pytest.fixture
def english(world):
    """The guide's pages this module visits, in English as the demo seed makes them (nothing
    is written if the world's seed made them); the offers, which the demo leaves in French,
    translated as a translator would start: the copy, then its own title."""
    translate_demo_guide()
    create_demo_applications()  # the form's English page, now that the guide has one
    locale = Locale.objects.get(language_code="en")
    for offer in OfferPage.objects.filter(locale=Locale.get_default()):
        _translate(offer, locale, {"title": f"{offer.title} [EN]"})
    cache.clear()
    return {key: page.get_translation(locale).specific for key, page in french_pages().items()}


def french_pages():
    french = Locale.get_default()
    return {
        "index": GuideIndexPage.objects.get(locale=french),
        "topic": GuideTopicPage.objects.filter(locale=french).first(),
        "testimonial": guide.TestimonialPage.objects.get(
            locale=french, video_url__contains=VIDEO_HOST
        ),
        "offers": OfferIndexPage.objects.get(locale=french),
        "form": ApplicationPage.objects.get(locale=french),
    }


class Checker:
    """Open pages, run axe-core on each, report every violation at the end."""

    def __init__(self, browser, language):
        self.browser = browser
        self.language = language
        self.found = []

    def open(self, url, name):
        self.browser.open(url)
        self.check(name)

    def check(self, name):
        browser = self.browser
        assert browser.status == 200, f"{name}: {browser.status} for {browser.driver.current_url}"
        lang = browser.find("html").get_attribute("lang")
        assert lang == self.language, f"{name}: <html lang={lang!r}> on {browser.path}"
        label = f"{name} [{self.language}] {browser.driver.current_url}"
        self.found.append((label, browser.axe_violations()))

    def assert_no_violations(self):
        violations = [(label, v) for label, v in self.found if v]
        assert not violations, format_violations(violations)


def without_javascript(browser, enabled=False):
    browser.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": not enabled})


def offer_titles(browser):
    return [a.text for a in browser.find_all(".offers-list h3 a")]


def filter_offers(browser, sector):
    """The filter form sent as HTML sends it: a GET, with JavaScript off."""
    without_javascript(browser)
    try:
        Select(browser.find("#id_secteur")).select_by_value(sector)
        browser.click_and_wait_for_page(browser.find(".offers-filters button[type=submit]"))
    finally:
        without_javascript(browser, enabled=True)
    query = parse_qs(urlsplit(browser.driver.current_url).query)
    assert query.get("secteur") == [sector], browser.driver.current_url


def apply(browser, name, email):
    """Fill the application form for a farm takeover and send it, with JavaScript off."""
    browser.find("#id_situation").send_keys("Salariée dans la logistique")
    browser.find("#id_project").send_keys("Reprendre un domaine viticole en famille.")
    browser.click(browser.find("input[name=sector][value=agriculture]"))
    browser.click(browser.find("input[name=timeframe]"))
    browser.click(browser.find("input[name=areas]"))
    browser.find("#id_name").send_keys(name)
    browser.find("#id_email").send_keys(email)
    browser.click(browser.find("input[name=consentement]"))
    without_javascript(browser)
    try:
        browser.click_and_wait_for_page(browser.find(".application-form button[type=submit]"))
    finally:
        without_javascript(browser, enabled=True)


def video_requests(browser):
    """What the page and Chromium's network log say was asked of the video's host."""
    browser._collect()
    resources = browser.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [u for u in [*browser.requested, *resources] if VIDEO_HOST in u]


def visit_guide(checker, world, pages):
    browser = checker.browser
    checker.open(world.page_url(pages["index"]), "guide")
    checker.open(world.page_url(pages["topic"]), "theme")
    checker.open(world.page_url(pages["testimonial"]), "temoignage")
    assert browser.find_all(".testimonial-video--external a.video-link")
    assert browser.find_all("details.transcript")
    assert not browser.find_all("iframe")
    assert video_requests(browser) == [], "the video's host was asked before any click"


def visit_offers(checker, world, pages):
    browser = checker.browser
    current = OfferPage.objects.current().filter(locale__language_code=checker.language)
    farm = current.get(sector="agriculture")
    checker.open(world.page_url(pages["offers"]), "reprises")
    everything = offer_titles(browser)
    assert len(everything) == current.count() > 1, everything
    # The map: one marker per commune with an offer, each a link with a name.
    markers = browser.find_all("svg.offers-map__svg a")
    assert markers and all(m.get_attribute("aria-label") for m in markers)
    filter_offers(browser, "agriculture")
    checker.check("reprises-filtrees")
    assert offer_titles(browser) == [farm.title]
    # The map follows the filter; its single marker leads to the offer.
    markers = browser.find_all("svg.offers-map__svg a")
    assert len(markers) == 1
    browser.click_and_wait_for_page(markers[0])
    checker.check("reprise")
    assert browser.find("h1").text == farm.title
    return farm


def visit_form(checker, world, pages, offer, name):
    browser = checker.browser
    checker.open(world.page_url(pages["form"]) + f"?offre={offer.pk}", "candidater")
    assert offer.title in browser.find(".application-offer").text
    # Sent empty, it is refused with the errors listed, each linked to its field.
    without_javascript(browser)
    try:
        browser.click_and_wait_for_page(browser.find(".application-form button[type=submit]"))
    finally:
        without_javascript(browser, enabled=True)
    assert browser.status == 400
    assert browser.find_all("#erreurs li a[href^='#id_']")
    checker.found.append((f"candidater-erreurs [{checker.language}]", browser.axe_violations()))
    apply(browser, name, f"{name.split()[0].lower()}@example.org")
    checker.check("candidature-envoyee")
    application = Application.objects.get(name=name)
    assert application.offer_id == offer.pk
    assert application.language == checker.language
    assert application.partner_email, "a farm takeover goes to the Chambre d'agriculture"
    return application


def test_the_french_guide_offers_and_form_pass_axe(world, browser):
    pages = french_pages()
    checker = Checker(browser, "fr")
    visit_guide(checker, world, pages)
    offer = visit_offers(checker, world, pages)
    application = visit_form(checker, world, pages, offer, "Ingrid Testeuse")
    confirmation = [m for m in mail.outbox if m.to == ["ingrid@example.org"]]
    assert len(confirmation) == 1, [m.to for m in mail.outbox]
    assert application.status == Application.Status.SENT
    # The guide and the offers on a phone, where the menu and the filters fold.
    browser.viewport(MOBILE)
    checker.open(world.page_url(pages["index"]), "guide-mobile")
    checker.open(world.page_url(pages["offers"]), "reprises-mobile")
    browser.viewport(DESKTOP)
    checker.assert_no_violations()
    browser.assert_no_outside_requests()


def test_the_english_guide_offers_and_form_pass_axe(english, world, browser):
    checker = Checker(browser, "en")
    assert urlsplit(world.page_url(english["index"])).path == "/en/settle-in/"
    visit_guide(checker, world, english)
    assert browser.find("h1").text == "Emma and Tom, from Manchester to Issigeac"
    offer = visit_offers(checker, world, english)
    visit_form(checker, world, english, offer, "Emma Tester")
    checker.assert_no_violations()
    browser.assert_no_outside_requests()


def test_the_outside_video_is_asked_for_only_after_the_click(world, browser):
    page = french_pages()["testimonial"]
    browser.open(world.page_url(page))
    assert video_requests(browser) == []
    browser.click(browser.find(".testimonial-video--external a.video-link"))
    browser.wait_until(lambda: video_requests(browser), "the click asked nothing of the host")
