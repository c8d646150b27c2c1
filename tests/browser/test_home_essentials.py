"""A commune's home page answers first: on a phone (390×844) and on a desktop, the mairie's
status today, its phone (a tel: link) and the next council meeting are on the first screen
of Bergerac's home, and axe-core finds nothing on the home page and « La mairie »."""

import re

import pytest

from communes.models import Collectivite
from conftest import COMMUNE_A
from sitefactory.models import ProvisionedPage
from tests.browser.conftest import DESKTOP, Viewport, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = Viewport("phone-390", 390, 844, mobile=True)
VIEWPORTS = (PHONE, DESKTOP)
ESSENTIALS = {
    "status": ".essentials__mairie .status",
    "phone": ".essentials__mairie a[href^='tel:']",
    "next council": ".essentials__council a",
}


def below_the_fold(browser):
    """The essentials whose bottom edge is past the first screen, with where they end."""
    return browser.driver.execute_script(
        """
        const out = {};
        for (const [name, css] of Object.entries(arguments[0])) {
          const element = document.querySelector(css);
          if (!element) { out[name] = "missing"; continue; }
          const bottom = element.getBoundingClientRect().bottom;
          if (bottom > window.innerHeight) out[name] = `${bottom} > ${window.innerHeight}`;
        }
        return out;
        """,
        ESSENTIALS,
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=[v.name for v in VIEWPORTS])
def test_the_status_the_phone_and_the_next_council_are_on_the_first_screen(
    world, browser, viewport
):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    mairie = ProvisionedPage.objects.get(collectivite=bergerac, key="mairie").page.specific
    browser.viewport(viewport)
    browser.open(world.page_url(bergerac.home_page.specific))
    assert browser.status == 200
    assert browser.driver.execute_script("return window.scrollY") == 0
    assert below_the_fold(browser) == {}
    status = browser.find(ESSENTIALS["status"]).text
    assert status.startswith(("Ouvert jusqu'à", "Fermé")), status
    phone = browser.find(ESSENTIALS["phone"])
    assert phone.text.endswith(mairie.phone)
    assert phone.get_attribute("href") == "tel:" + mairie.phone.replace(" ", "")
    assert "conseil" in browser.find(".essentials__council h3").text.lower()
    # The demo's banner announces the same meeting at the same time.
    when = re.search(r"\d{1,2} h( \d\d)?", browser.find(ESSENTIALS["next council"]).text)
    assert when and f"à {when.group()}" in browser.find(".banners").text
    browser.screenshot(f"commune-accueil-essentiel-{viewport.name}")
    found = [(f"accueil [{viewport.name}]", browser.axe_violations())]

    browser.open(world.page_url(mairie))
    assert browser.status == 200
    today = browser.find(".hours tr[aria-current='date']")
    assert "aujourd'hui" in today.text
    found.append((f"mairie [{viewport.name}]", browser.axe_violations()))
    assert not any(v for _label, v in found), "axe-core violations:\n" + format_violations(found)
    assert not browser.scripts()
    browser.assert_no_outside_requests()


def test_with_an_urgent_alert_the_essentials_still_fit_a_phone_screen(world, browser):
    """The alert comes first (the site's banners, urgent ones on top), and the mairie's
    status, phone and next council still fit below it."""
    from datetime import timedelta

    from django.utils import timezone

    from communes.models import Banner

    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    Banner.objects.create(
        title="Alerte orange crues : la Dordogne déborde",
        text="Quais fermés à la circulation jusqu'à nouvel ordre ; suivez les consignes de la "
        "préfecture.",
        level=Banner.Level.URGENT,
        start=timezone.now() - timedelta(minutes=5),
        end=timezone.now() + timedelta(days=1),
        site_id=bergerac.site_id,
        live=True,
    )
    browser.viewport(PHONE)
    browser.open(world.page_url(bergerac.home_page.specific))
    assert browser.status == 200
    urgent = browser.find(".banner--urgent")
    assert "Alerte orange crues" in urgent.text
    assert browser.find(".banners .banner") == urgent  # urgent first
    assert below_the_fold(browser) == {}
    browser.screenshot("commune-accueil-essentiel-alerte-phone-390")
    assert not browser.axe_violations()
