"""The directory of services in a browser: the list and an entry's page on a desktop and a
phone (axe-core finds nothing, screenshots in tests/screenshots/annuaire-*), and the map,
which only loads once asked for, shows the entries and asks nothing of another host.

The world holds the demo directory (`seed_directory`); the tests add a few entries of their
own, with names no demo entry has."""

import datetime
import re

import pytest

from communes.models import Collectivite
from conftest import COMMUNE_A
from directory.models import Category, OpeningHours, ServiceEntry, ServicesPage
from directory.services.geo import nearest, public_entries
from tests.browser.conftest import DESKTOP, VIEWPORTS, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KM_LAT = 1 / 111.2


def entries_near(commune):
    made = []
    for number, (name, category, km) in enumerate(
        [
            ("Accueil de la mairie annexe du Pont", "mairie", 0.4),
            ("Permanence France Services des Rives", "france-services", 2.5),
            ("Centre de santé du Pont", "sante", 4),
            ("Relais petite enfance des Rives", "petite-enfance", 6),
        ]
    ):
        entry = ServiceEntry.objects.create(
            name=name,
            category=Category.objects.get(slug=category),
            commune=commune,
            address=f"{number + 1} rue de la République",
            postcode="24100",
            city="Bergerac",
            latitude=commune.latitude + km * KM_LAT,
            longitude=commune.longitude + number * 0.004,
            phone=f"05 53 00 00 0{number}",
            position_approximate=number == 3,
            accessibility="Accès de plain-pied." if number == 0 else "",
        )
        for weekday in range(5):
            OpeningHours.objects.create(
                entry=entry,
                weekday=weekday,
                morning_open=datetime.time(9),
                morning_close=datetime.time(12),
                afternoon_open=datetime.time(14),
                afternoon_close=datetime.time(17),
            )
        made.append(entry)
    ServiceEntry.objects.create(
        name="Permanence disparue",
        category=Category.objects.get(slug="caf"),
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        status=ServiceEntry.Status.ARCHIVED,
    )
    return made


@pytest.fixture
def directory(world):
    commune = Collectivite.objects.get(code=COMMUNE_A)
    made = entries_near(commune)
    page = ServicesPage.objects.live().child_of(commune.home_page).get()
    return commune, page, made


def distances(browser):
    """The distances shown in the list, in km, in order."""
    found = []
    for meta in browser.find_all(".directory-list .meta"):
        match = re.search(r"à (\d+,\d) km", meta.text)
        assert match, meta.text
        found.append(float(match.group(1).replace(",", ".")))
    return found


def test_the_list_and_an_entry_pass_axe_on_a_desktop_and_a_phone(world, browser, directory):
    commune, page, made = directory
    entry_url = world.url(commune.hostname, f"/services/{made[0].pk}-{made[0].slug}/")
    found = []
    for viewport in VIEWPORTS:
        browser.viewport(viewport)
        browser.open(world.page_url(page))
        assert browser.status == 200
        assert browser.find("h1").text == page.title
        listed = [a.text for a in browser.find_all(".directory-list h3 a")]
        assert made[0].name in listed and "Permanence disparue" not in listed
        assert distances(browser) == sorted(distances(browser))
        # The script is there, and shows what only works with it.
        assert browser.find("[data-directory-map]").is_displayed()
        found.append((f"annuaire-liste [{viewport.name}]", browser.axe_violations()))
        browser.screenshot(f"annuaire-liste-{viewport.name}")

        link = browser.find(".directory-list h3 a")
        name = link.text
        browser.click_and_wait_for_page(link)
        assert browser.status == 200
        assert browser.find("h1").text == name

        browser.open(entry_url)
        assert browser.status == 200
        assert browser.find("h1").text == made[0].name
        assert len(browser.find_all("table.hours tbody th[scope=row]")) == 7
        found.append((f"annuaire-fiche [{viewport.name}]", browser.axe_violations()))
        browser.screenshot(f"annuaire-fiche-{viewport.name}")

    # A search that cannot be made: the errors first, the list still there.
    browser.viewport(DESKTOP)
    browser.open(world.page_url(page) + "?pres=75001")
    assert browser.status == 400
    assert "75001" in browser.wait_for(".form-errors").text
    assert browser.find_all(".directory-list h3 a")
    found.append(("annuaire-erreur", browser.axe_violations()))
    browser.screenshot("annuaire-liste-erreur")

    assert not any(violations for _label, violations in found), "axe-core violations:\n" + (
        format_violations(found)
    )
    browser.assert_no_outside_requests()


def test_the_map_loads_only_when_asked_and_stays_on_the_site(world, browser, directory, settings):
    commune, page, made = directory
    # Tiles from the live server itself: any PNG will do.
    settings.DIRECTORY_TILE_URL = world.url(
        commune.hostname, "/static/directory/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    )
    expected = nearest(public_entries(), commune.latitude, commune.longitude, 10, limit=10_000)
    browser.viewport(DESKTOP)
    browser.open(world.page_url(page))
    assert browser.status == 200
    loaded = " ".join(browser.requested)
    assert "leaflet" not in loaded and "layers.png" not in loaded and ".geojson" not in loaded
    assert not browser.find("#carte").is_displayed()

    button = browser.find("[data-map-toggle]")
    assert button.text == "Afficher la carte"
    assert button.get_attribute("aria-expanded") == "false"
    browser.click(button)
    browser.wait_until(
        lambda: len(browser.find_all("#carte .leaflet-marker-icon")) == len(expected),
        f"the map did not show the {len(expected)} entries within 10 km",
    )
    markers = {m.get_attribute("alt"): m for m in browser.find_all("#carte .leaflet-marker-icon")}
    assert {e.name for e in made} <= set(markers)
    assert "Permanence disparue" not in markers
    assert all(m.get_attribute("tabindex") == "0" for m in markers.values())
    assert button.get_attribute("aria-expanded") == "true"
    assert f"{len(expected)} services sur la carte" in browser.find("[data-map-status]").text
    browser.wait_until(lambda: browser.find_all("#carte .leaflet-tile-loaded"), "no tile shown")

    # A marker opens with the keyboard; its popup links to the entry on this site.
    marker = markers[made[0].name]
    browser.driver.execute_script("arguments[0].focus()", marker)
    marker.send_keys("\n")
    link = browser.wait_for("#carte .leaflet-popup-content a")
    assert link.text == made[0].name
    assert link.get_attribute("href") == world.url(
        commune.hostname, f"/services/{made[0].pk}-{made[0].slug}/"
    )
    assert browser.driver.switch_to.active_element == link

    violations = browser.axe_violations()
    browser.screenshot("annuaire-carte")
    assert not violations, format_violations([("annuaire-carte", violations)])
    requested = " ".join(browser.requested)
    assert "layers.png" in requested and "services.geojson" in requested
    browser.assert_no_outside_requests()

    browser.click(button)
    assert not browser.find("#carte").is_displayed()
    assert button.get_attribute("aria-expanded") == "false"
