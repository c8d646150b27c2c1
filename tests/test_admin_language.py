"""The admin speaks French to a secretary and to the Pays team: no English word, no Python
value (True, False, None), no ISO date. The fast twin of tests/browser/test_admin_language.py
(the HTML's text through the test client rather than what Chromium shows)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from conftest import COMMUNE_A, host_client, provision_shared_sites
from tests.admin_language import (
    ISO_DATE,
    offences,
    report,
    secretary_admin_urls,
    visible_text,
    with_an_exceptional_closure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """The Pays and three communes with the demo content and accounts, as `make seed`."""
    from django.core.management import call_command

    from communes.models import Collectivite, MairiePage
    from sitefactory.services.demo import create_demo_accounts
    from sitefactory.services.demo_content import create_demo_content

    provision_shared_sites()
    create_demo_content()
    create_demo_accounts("x")
    call_command("seed_directory", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the journal
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    with_an_exceptional_closure(MairiePage.objects.child_of(bergerac.home_page).get())
    return bergerac


def field_values(html):
    """What the fields show that the check refuses: a button's English label, a date field's
    ISO date (not a slug that holds one)."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").select("input[value]:not([type=hidden])"):
        value = tag["value"]
        button = tag.get("type") in ("submit", "button", "reset")
        if (button and offences(value)) or ISO_DATE.match(value):
            found.append(value)
    return found


def walk(client, urls):
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        html = response.content.decode()
        found += [(url, offence) for offence in offences(visible_text(html))]
        found += [(url, f"a field shows « {value} »") for value in field_values(html)]
    return found


def test_the_admin_pages_of_a_secretary_are_in_french(demo):
    user, urls = secretary_admin_urls(demo)
    client = host_client("pays.test")
    client.force_login(user)
    found = walk(client, urls.values())
    assert not found, "English or Python in the admin:\n" + report(found)


def test_the_pays_teams_pages_are_in_french_too(demo):
    from django.contrib.auth import get_user_model

    from communes.models import Collectivite
    from directory.journal import ImportRun

    _secretary, urls = secretary_admin_urls(demo)
    run = ImportRun.objects.order_by("pk").first()
    more = [
        "/admin/directory-imports/",
        f"/admin/directory-imports/inspect/{run.pk}/",
        f"/admin/snippets/communes/collectivite/edit/{demo.pk}/",
        f"/admin/snippets/communes/collectivite/edit/{Collectivite.objects.get(code='PAYS').pk}/",
    ]
    client = host_client("pays.test")
    client.force_login(get_user_model().objects.get(username="pays"))
    found = walk(client, [*urls.values(), *more])
    assert not found, "English or Python in the admin:\n" + report(found)


def test_the_mairie_editor_says_what_each_add_button_adds_and_dates_the_french_way(demo):
    from communes.models import MairiePage

    user, urls = secretary_admin_urls(demo)
    client = host_client("pays.test")
    client.force_login(user)
    html = client.get(urls["mairie"]).content.decode()
    text = visible_text(html)
    for label in ("Ajouter un jour", "Ajouter une fermeture exceptionnelle", "Ajouter un élu"):
        assert label in text
    assert "un(e)" not in text
    assert 'value="11/12/2026"' in html  # the closure of 11 December 2026
    mairie = MairiePage.objects.child_of(demo.home_page).get()
    assert mairie.hours_exceptions.filter(date_from=datetime.date(2026, 12, 11)).exists()


def test_a_date_typed_the_french_way_is_read_day_first(demo):
    from communes.models import Banner

    user, _urls = secretary_admin_urls(demo)
    client = host_client("pays.test")
    client.force_login(user)
    response = client.post(
        "/admin/snippets/communes/banner/add/",
        {
            "title": "Fermeture de la mairie",
            "text": "",
            "link_url": "",
            "level": "info",
            "start": "11/12/2026 08:30",
            "end": "02/01/2027 18:00",
            "site": demo.site_id,
            "action-submit": "submit",
        },
    )
    assert response.status_code == 302, visible_text(response.content.decode())[:2000]
    banner = Banner.objects.get(title="Fermeture de la mairie")
    start = timezone.localtime(banner.start)
    assert (start.day, start.month, start.hour, start.minute) == (11, 12, 8, 30)
    assert timezone.localtime(banner.end).date() == datetime.date(2027, 1, 2)


def test_the_image_form_calls_the_description_its_alternative_text(demo):
    user, urls = secretary_admin_urls(demo)
    client = host_client("pays.test")
    client.force_login(user)
    text = visible_text(client.get(urls["image"]).content.decode())
    assert "Texte alternatif (décrit l'image)" in text
    assert "pour les personnes qui ne la voient pas" in text


def test_the_check_catches_english_python_values_and_iso_dates_not_french():
    html = (
        "<body><span class='w-sr-only'>Status actuel de la page :</span> publiée"
        "<p>Essai à blanc False</p><p>1-1 sur 1 None</p><p>du 2026-12-11</p>"
        "<div hidden>None</div><script>var Live = true;</script></body>"
    )
    assert [o.split(" »")[0] for o in offences(visible_text(html))] == [
        "« Status",
        "« False",
        "« None",
        "« 2026-12-11",
    ]
    assert offences("STATUS ACTUEL DE LA PAGE : publiée")  # as Chromium reads it, in capitals
    french = "<body>Ajouter une page · Aperçu · Type de page · Le 11/12/2026 · Ajouter</body>"
    assert offences(visible_text(french)) == []
