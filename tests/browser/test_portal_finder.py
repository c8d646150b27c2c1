"""« Trouver ma commune » on the portal, as a visitor uses it: typing the start of a
postcode proposes the commune, choosing it with the keyboard leads to its site; the map of
the collectivités loads only when asked; on a phone the Pays-wide search shows its results
on the first screen; axe-core finds nothing on the portal, the finder's results and the
search results, on a phone (390×844) and a desktop. Screenshots: tests/screenshots/portail-*."""

import pytest
from selenium.webdriver.common.keys import Keys

from communes.models import Collectivite
from conftest import COMMUNE_B
from tests.browser.conftest import DESKTOP, Viewport, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = Viewport("phone", 390, 844, mobile=True)
PORTAL = "pays.test"


def test_typing_a_postcode_proposes_lalinde_and_choosing_it_leads_to_its_site(world, browser):
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    browser.viewport(PHONE)
    browser.open(world.url(PORTAL))
    box = browser.find("#commune-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.send_keys("2415")
    browser.wait_until(
        lambda: [o.text for o in browser.find_all("#commune-q-suggestions [role=option]")],
        "no suggestion for « 2415 »",
    )
    options = browser.find_all("#commune-q-suggestions [role=option]")
    assert options[0].text.startswith("Lalinde")
    assert box.get_attribute("aria-expanded") == "true"
    assert "proposée" in browser.find("[data-finder-status]").get_attribute("textContent")

    # The list open, as a screen reader user meets it.
    violations = browser.axe_violations()
    browser.screenshot("portail-suggestions-phone")
    assert not violations, format_violations([("portail-suggestions", violations)])

    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    assert options[0].get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ENTER)
    browser.wait_until(
        lambda: browser.driver.current_url.startswith(world.url(lalinde.hostname)),
        "Enter on « Lalinde » did not lead to its site",
    )
    assert browser.status == 200 or browser.driver.title.startswith("Lalinde")
    browser.assert_no_outside_requests()


def test_the_finder_pages_and_the_search_pass_axe_on_a_phone_and_a_desktop(world, browser):
    found = []
    pages = [
        ("portail", "/"),
        ("portail-communes", "/communes/?q=24150"),
        ("portail-communes-aucune", "/communes/?q=Paris"),
        ("portail-recherche", "/search/?q=mairie"),
    ]
    for viewport in (PHONE, DESKTOP):
        browser.viewport(viewport)
        for name, path in pages:
            browser.open(world.url(PORTAL, path))
            assert browser.status == 200, path
            found.append((f"{name} [{viewport.name}]", browser.axe_violations()))
            browser.screenshot(f"{name}-{viewport.name}")
    assert not any(v for _label, v in found), "axe-core violations:\n" + format_violations(found)
    browser.assert_no_outside_requests()


def test_the_results_page_leads_to_the_commune_without_javascript_help(world, browser):
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    browser.open(world.url(PORTAL))
    box = browser.find("#commune-q")
    # Enter with no suggestion chosen submits the form, as without JavaScript.
    box.send_keys("lalinde")
    box.send_keys(Keys.ENTER)
    browser.wait_for(".finder-first a")
    assert browser.path == "/communes/"
    first = browser.find(".finder-first a")
    assert first.text == "Aller sur le site de Lalinde"
    browser.click_and_wait_for_page(first)
    assert browser.driver.current_url.startswith(world.url(lalinde.hostname))


def test_on_a_phone_the_search_results_come_first_and_the_communes_are_folded(world, browser):
    browser.viewport(PHONE)
    browser.open(world.url(PORTAL, "/search/?q=mairie"))
    first = browser.wait_for(".search-results li")
    top = browser.driver.execute_script(
        "return arguments[0].getBoundingClientRect().top + window.scrollY", first
    )
    assert top < PHONE.height, f"the first result starts {top}px down"
    details = browser.find(".search-facet-communes")
    assert details.get_attribute("open") is None
    assert not browser.find(".search-facet-communes ul").is_displayed()
    # Every aria-describedby names an element of the page (the Nu checker's complaint).
    missing = browser.driver.execute_script(
        """return [...document.querySelectorAll('[aria-describedby]')]
             .flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/))
             .filter(id => !document.getElementById(id));"""
    )
    assert missing == []


def test_the_map_of_the_collectivites_loads_only_when_asked(world, browser, settings):
    # Tiles from the live server itself: any PNG will do.
    settings.DIRECTORY_TILE_URL = world.url(
        PORTAL, "/static/directory/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    )
    browser.viewport(DESKTOP)
    browser.open(world.url(PORTAL))
    loaded = " ".join(browser.requested)
    assert "leaflet" not in loaded and "layers.png" not in loaded and "/carte/" not in loaded
    button = browser.find("[data-map-toggle]")
    assert button.text == "Afficher la carte"
    browser.click(button)
    placed = Collectivite.objects.members().provisioned().filter(latitude__isnull=False).count()
    browser.wait_until(
        lambda: len(browser.find_all("#carte .leaflet-marker-icon")) == placed,
        f"the map did not show the {placed} collectivités",
    )
    markers = {m.get_attribute("alt") for m in browser.find_all("#carte .leaflet-marker-icon")}
    assert "Lalinde" in markers
    assert f"{placed} collectivités sur la carte" in browser.find("[data-map-status]").text
    violations = browser.axe_violations()
    browser.screenshot("portail-carte")
    assert not violations, format_violations([("portail-carte", violations)])
    assert "layers.png" in " ".join(browser.requested)
    browser.assert_no_outside_requests()


def test_a_suggestion_chosen_with_the_mouse_leads_to_its_site(world, browser):
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    browser.open(world.url(PORTAL, "/communes/"))
    browser.find("#commune-q").send_keys("lalïn")
    option = browser.wait_for("#commune-q-suggestions [role=option]")
    assert option.text.startswith("Lalinde")
    browser.click_and_wait_for_page(option)
    assert browser.driver.current_url.startswith(world.url(lalinde.hostname))
