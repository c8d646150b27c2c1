"""Searching as a visitor does: from the box in a commune's header, then on the portal."""

import pytest
from selenium.webdriver.common.keys import Keys

from communes.models import Collectivite
from conftest import COMMUNE_A
from tests.browser.conftest import VIEWPORTS, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_searches_a_commune_then_the_whole_pays(world, browser):
    commune = Collectivite.objects.get(code=COMMUNE_A)
    found = []
    browser.open(world.url(commune.hostname))
    box = browser.find("header form[role=search] input[type=search]")
    box.send_keys("horaires")
    box.send_keys(Keys.ENTER)
    browser.wait_for(".search-results")
    assert browser.path == "/search/"
    first = browser.find(".search-results li h3 a")
    assert first.text == "La mairie"
    assert "Horaires" in browser.find(".search-results li .snippet mark").text

    # Suggestions come while typing, in the browser's own list.
    box = browser.find("main input[type=search]")
    box.clear()
    box.send_keys("mair")
    browser.wait_until(
        lambda: (
            "La mairie"
            in [o.get_attribute("value") for o in browser.find_all("#search-suggestions option")]
        ),
        "no suggestion for « mair »",
    )
    for viewport in VIEWPORTS:
        browser.viewport(viewport)
        found.append((f"commune search [{viewport.name}]", browser.axe_violations()))
        browser.screenshot(f"commune-recherche-{viewport.name}")

    # On the portal: every commune, and facets that narrow.
    browser.open(world.url("pays.test", "/search/?q=conseil+municipal"))
    browser.wait_for(".search-facets")
    found.append(("portal search", browser.axe_violations()))
    browser.screenshot("portail-recherche")
    count = browser.find(".search-count").text
    facet = next(
        a for a in browser.find_all(".search-facets a") if a.text.startswith("Conseil municipal")
    )
    expected = facet.find_element("css selector", ".count").text.strip("()")
    browser.click_and_wait_for_page(facet)
    assert browser.find(".search-count").text.startswith(f"{expected} résultat"), count
    kinds = {p.text.split(" · ")[0] for p in browser.find_all(".search-results li > p.meta")}
    assert kinds == {"Conseil municipal"}
    assert not any(v for _label, v in found), "axe-core violations:\n" + format_violations(found)
    browser.assert_no_outside_requests()
