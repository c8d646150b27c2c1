"""Every page type of a commune site and of the portal, on a desktop and on a phone.

axe-core finds no violation on any of them, a full-page screenshot of each is written to
tests/screenshots/, every image has its width and height, no page needs JavaScript, and no
page asks anything of a host other than the live server. Zoomed to 200 %, nothing is lost.
"""

import pytest
from django.utils import timezone

from communes.models import (
    BulletinPage,
    Collectivite,
    CouncilMeetingPage,
    DemarchePage,
    EventPage,
    NewsPage,
)
from conftest import COMMUNE_A
from sitefactory.models import ProvisionedPage
from tests.browser.conftest import VIEWPORTS, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def provisioned(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def page_types(world):
    """(screenshot name, page) for one page of each type, the commune's then the portal's."""
    commune = Collectivite.objects.get(code=COMMUNE_A)
    pays = Collectivite.objects.get(code="PAYS")
    council = provisioned(commune, "conseil")
    past_meeting = (
        CouncilMeetingPage.objects.child_of(council)
        .live()
        .filter(date__lt=timezone.now())
        .order_by("-date")
        .first()
    )
    pages = [
        ("commune-accueil", commune.home_page.specific),
        ("commune-mairie", provisioned(commune, "mairie")),
        ("commune-conseil", council),
        ("commune-seance", past_meeting),
        ("commune-bulletins", provisioned(commune, "bulletins")),
        ("commune-bulletin", BulletinPage.objects.descendant_of(commune.home_page).first()),
        ("commune-actualites", provisioned(commune, "actualites")),
        ("commune-actualite", NewsPage.objects.descendant_of(commune.home_page).first()),
        ("commune-agenda", provisioned(commune, "agenda")),
        ("commune-evenement", EventPage.objects.descendant_of(commune.home_page).first()),
        ("commune-demarches", provisioned(commune, "demarches")),
        ("commune-demarche", DemarchePage.objects.descendant_of(commune.home_page).first()),
        ("commune-vie-locale", provisioned(commune, "vie-locale")),
        ("commune-decouvrir", provisioned(commune, "decouvrir")),
        ("commune-accessibilite", provisioned(commune, "accessibilite")),
        ("commune-mentions-legales", provisioned(commune, "mentions-legales")),
        ("commune-donnees-personnelles", provisioned(commune, "donnees-personnelles")),
        ("commune-plan-du-site", provisioned(commune, "plan-du-site")),
        ("portail-accueil", pays.home_page.specific),
        ("portail-communes", provisioned(pays, "communes")),
        ("portail-agenda", provisioned(pays, "agenda")),
        ("portail-accessibilite", provisioned(pays, "accessibilite")),
    ]
    missing = [name for name, page in pages if page is None]
    assert not missing, f"the demo content has no page for {missing}"
    return pages


# Scripts a page may run because it works without them, each tested so: the portal's
# « Trouver ma commune » suggestions (the box is a plain GET search, /communes/?q=) and its
# map on request (the A–Z list stays complete). tests/browser/test_portal_finder.py.
ENHANCEMENTS = ("/static/communes/finder.js", "/static/directory/map.js")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=[v.name for v in VIEWPORTS])
def test_every_page_type_passes_axe_and_is_pictured(world, browser, viewport):
    browser.viewport(viewport)
    found = []

    def check(name):
        label = f"{name} [{viewport.name}] {browser.driver.current_url}"
        found.append((label, browser.axe_violations()))
        browser.screenshot(f"{name}-{viewport.name}")
        assert not browser.images_without_dimensions(), (label, browser.images_without_dimensions())
        scripts = [s for s in browser.scripts() if not s.endswith(ENHANCEMENTS)]
        assert not scripts, (label, scripts)

    for name, page in page_types(world):
        browser.open(world.page_url(page))
        assert browser.status == 200, (name, browser.driver.current_url, browser.status)
        assert browser.find("h1").text == page.title
        check(name)

    # The contact form, sent empty: the errors are listed and each field says its own.
    contact = provisioned(Collectivite.objects.get(code=COMMUNE_A), "contact")
    browser.open(world.page_url(contact))
    assert browser.status == 200
    check("commune-contact")
    browser.click_and_wait_for_page(browser.find("main form button[type=submit]"))
    assert browser.status == 400
    summary = browser.wait_for(".form-errors")
    assert "Nom et prénom" in summary.text
    assert browser.find_all(".field .error")
    check("commune-contact-erreurs")

    # Then sent properly: the thank-you page.
    for name, value in {
        "nom_et_prenom": "Camille Visiteur",
        "adresse_electronique": "camille@example.org",
        "objet": "Salle des fêtes",
        "votre_message": "Bonjour, la salle est-elle libre le 12 ?",
    }.items():
        field = browser.find(f"main form [name={name}]")
        field.clear()
        field.send_keys(value)
    browser.find("main form [name=consentement]").click()
    browser.click_and_wait_for_page(browser.find("main form button[type=submit]"))
    assert browser.status == 200
    assert browser.find("h1").text == "Message envoyé"
    check("commune-contact-envoye")

    assert not any(violations for _label, violations in found), "axe-core violations:\n" + (
        format_violations(found)
    )
    browser.assert_no_outside_requests()


def test_zoom_to_200_percent_loses_nothing(world, browser):
    """RGAA 10.4 / WCAG 1.4.4: at 200 % on a desktop window, no page scrolls sideways, no
    text is cut off, and the menu and the legal links are still there to use."""
    browser.zoom(VIEWPORTS[0], 2)
    problems = []
    for name, page in page_types(world):
        browser.open(world.page_url(page))
        assert browser.status == 200, (name, browser.status)
        if lost := browser.lost_content():
            problems.append(f"{name} {browser.driver.current_url}: {lost}")
        for css in ("h1", ".footer-links a"):
            assert browser.find(css).is_displayed(), (name, css)
        if name.startswith("commune-"):
            assert browser.find(".menu a").is_displayed(), name
        browser.screenshot(f"{name}-zoom-200")
    assert not problems, "\n".join(problems)
