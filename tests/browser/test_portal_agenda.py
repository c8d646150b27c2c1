"""The Pays' agenda on the portal, as `make seed` makes it: events of several communes, a
filter chosen in the form, the news, and « À venir dans le Pays » on the portal's home; on
a phone (390×844) and on a desktop, axe-core finds nothing."""

import pytest
from selenium.webdriver.support.ui import Select

from communes.models import Collectivite
from conftest import COMMUNE_B
from tests.browser.conftest import DESKTOP, Viewport, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = Viewport("phone-390", 390, 844, mobile=True)
VIEWPORTS = (PHONE, DESKTOP)


def communes_listed(browser):
    return {
        meta.text.split("— ", 1)[-1].split(",")[0]
        for meta in browser.find_all(".pays-agenda__items .meta")
    }


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=[v.name for v in VIEWPORTS])
def test_the_pays_agenda_lists_several_communes_filters_and_passes_axe(world, browser, viewport):
    pays = Collectivite.objects.get(code="PAYS")
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    browser.viewport(viewport)
    found = []

    browser.open(world.url(pays.hostname, "/"))
    assert browser.status == 200
    upcoming = browser.find(".pays-upcoming")
    assert "Marché de producteurs" in upcoming.text
    found.append(("accueil", browser.axe_violations()))

    browser.click_and_wait_for_page(browser.find(".pays-upcoming p:last-child a"))
    assert browser.path == "/agenda/"
    assert len(communes_listed(browser)) >= 3, communes_listed(browser)
    # The filters are folded until used (open once a filter applies).
    assert not browser.find(".pays-agenda-filters details").get_attribute("open")
    found.append(("agenda", browser.axe_violations()))

    browser.find(".pays-agenda-filters summary").click()
    Select(browser.find("#id_commune")).select_by_visible_text(lalinde.name)
    browser.click_and_wait_for_page(browser.find(".filters button[type=submit]"))
    assert communes_listed(browser) == {lalinde.name}
    found.append(("agenda filtré", browser.axe_violations()))

    Select(browser.find("#id_categorie")).select_by_visible_text("Les actualités")
    browser.click_and_wait_for_page(browser.find(".filters button[type=submit]"))
    assert "Travaux de voirie route du moulin" in browser.find(".pays-agenda").text
    # Not relayed by the demo: of interest to the commune only.
    assert "Inscriptions à la cantine" not in browser.find(".pays-agenda").text
    found.append(("actualités", browser.axe_violations()))

    browser.open(world.url(pays.hostname, "/agenda/?du=pas-une-date"))
    assert browser.status == 400
    assert browser.find(".form-errors").is_displayed()
    found.append(("filtre invalide", browser.axe_violations()))

    browser.screenshot(f"portail-agenda-{viewport.name}")
    browser.assert_no_outside_requests()
    violations = [(f"{name} [{viewport.name}]", v) for name, v in found if v]
    assert not violations, format_violations(violations)
