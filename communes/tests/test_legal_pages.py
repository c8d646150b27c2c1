"""The legally required pages, and the accessibility mention in every footer."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from communes.models import AccessibilityPage
from conftest import COMMUNE_A, host_client
from sitefactory.models import ProvisionedPage

LEGAL = ("accessibilite", "mentions-legales", "donnees-personnelles", "plan-du-site")


@pytest.mark.parametrize(
    ("audit_days_ago", "rate", "expected"),
    [
        (None, None, "non"),
        (30, Decimal("100"), "totale"),
        (30, Decimal("75.5"), "partielle"),
        (30, Decimal("49.9"), "non"),
        (365 * 3 + 5, Decimal("100"), "non"),  # audit older than 3 years
    ],
)
def test_conformity_is_computed_from_the_declaration(audit_days_ago, rate, expected):
    page = AccessibilityPage(title="Accessibilité", audit_rate=rate)
    if audit_days_ago is not None:
        page.audit_date = timezone.localdate() - datetime.timedelta(days=audit_days_ago)
    assert page.conformity == expected


def test_every_site_has_the_four_legal_pages_and_the_footer_mention(communes, portal_client):
    for collectivite in [*communes.values()]:
        collectivite.refresh_from_db()
        client = host_client(collectivite.hostname)
        for slug in LEGAL:
            assert client.get(f"/{slug}/").status_code == 200, (collectivite, slug)
        for path in ("/", "/mairie/", "/actualites/"):
            html = client.get(path).content.decode()
            footer = html[html.index("<footer") :]
            for slug in LEGAL:
                assert f'href="/{slug}/"' in footer
            assert "Accessibilité : non conforme" in footer
    footer = portal_client.get("/").content.decode()
    assert "Accessibilité : non conforme" in footer[footer.index("<footer") :]


def test_footer_follows_an_audit_and_the_declaration_has_the_official_parts(communes):
    bergerac = communes[COMMUNE_A]
    record = ProvisionedPage.objects.get(collectivite=bergerac, key="accessibilite")
    declaration = record.page.specific
    declaration.audit_date = timezone.localdate() - datetime.timedelta(days=60)
    declaration.audit_rate = Decimal("82.5")
    declaration.auditor = "Cabinet Exemple"
    declaration.save_revision().publish()
    client = host_client("bergerac.pays.test")
    html = client.get("/accessibilite/").content.decode()
    for part in (
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
        "RGAA",
    ):
        assert part in html, part
    assert "partiellement conforme" in html and ("82,50" in html or "82.50" in html)
    assert "Accessibilité : partiellement conforme" in client.get("/").content.decode()


def test_site_map_lists_the_live_pages_of_this_site_only(communes):
    html = host_client("bergerac.pays.test").get("/plan-du-site/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for title in ("La mairie", "Conseil municipal", "Acte de naissance", "Contact"):
        assert title in main
    assert "Lalinde" not in main and "Eymet" not in main
