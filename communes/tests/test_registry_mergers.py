"""A commune nouvelle in the COG: the merged commune keeps its site, and its editors are told.

The COG file here is derived from the real one (tests/files/realdata/cog/): Lalinde's COM
row is replaced by a COMD row under Mauzac-et-Grand-Castang, as INSEE would publish it the
year after such a merger. Everything else is the file as published.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from communes.models import Collectivite
from conftest import COMMUNE_B, host_client, member

COMMUNES = (
    Path(__file__).resolve().parents[2]
    / "tests"
    / "files"
    / "realdata"
    / "cog"
    / "insee_cog_commune_2022_dep24.csv"
)
LALINDE_COM = b"COM,24223,75,24,24D,241,0,LALINDE,Lalinde,Lalinde,2408,\r\n"
LALINDE_COMD = b"COMD,24223,,,,,0,LALINDE,Lalinde,Lalinde,,24260\r\n"


@pytest.fixture
def merged_cog(tmp_path):
    raw = COMMUNES.read_bytes()
    assert LALINDE_COM in raw
    path = tmp_path / "commune_derived.csv"
    path.write_bytes(raw.replace(LALINDE_COM, LALINDE_COMD))
    return path


@pytest.fixture
def lalinde(communes):
    lalinde = communes[COMMUNE_B]
    member("lalinde-secretaire", lalinde, "secretariat", email="secretariat@lalinde.example")
    member("lalinde-elu", lalinde, "elus", email="maire@lalinde.example")
    return lalinde


def run(path, *args):
    out = StringIO()
    call_command("load_registry", "--file", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_dry_run_names_the_merger_and_tells_nobody(
    lalinde, merged_cog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = run(merged_cog, "--dry-run")
    assert "24223 Lalinde : fusionnée dans 24260 Mauzac-et-Grand-Castang" in out
    assert mail.outbox == []
    lalinde.refresh_from_db()
    assert lalinde.merged_into is None


def test_a_merged_commune_keeps_its_site_and_its_editors_are_emailed(
    lalinde, merged_cog, django_capture_on_commit_callbacks
):
    pages = Page.objects.descendant_of(lalinde.home_page, inclusive=True).live().count()
    with django_capture_on_commit_callbacks(execute=True):
        out = run(merged_cog)
    assert "24223 Lalinde : fusionnée dans 24260 Mauzac-et-Grand-Castang" in out
    assert "prévenus maire@lalinde.example, secretariat@lalinde.example" in out

    lalinde.refresh_from_db()
    assert lalinde.name == "Lalinde"
    assert lalinde.status == Collectivite.Status.PROVISIONED and lalinde.site_id
    assert lalinde.merged_into.code == "24260" and lalinde.merged_at is not None
    assert Page.objects.descendant_of(lalinde.home_page, inclusive=True).live().count() == pages
    mauzac = Collectivite.objects.get(code="24260")
    assert {"code": "24223", "name": "Lalinde", "type": "COMD"} in mauzac.delegated_communes

    assert sorted(m.to[0] for m in mail.outbox) == [
        "maire@lalinde.example",
        "secretariat@lalinde.example",
    ]
    message = mail.outbox[0]
    assert message.subject == "Lalinde est désormais commune déléguée de Mauzac-et-Grand-Castang"
    assert "Rien n'a été supprimé" in message.body and lalinde.url in message.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = run(merged_cog)
    assert "created 0, updated 0, unchanged 155, rejected 0" in again
    assert mail.outbox == []


def test_a_commune_back_in_the_cog_is_no_longer_merged(lalinde, merged_cog):
    run(merged_cog)
    out = run(COMMUNES)
    lalinde.refresh_from_db()
    assert lalinde.merged_into is None and lalinde.merged_at is None
    assert "24223 Lalinde : fusionnée dans 24260 Mauzac-et-Grand-Castang → —" in out


def test_the_commune_nouvelle_is_added_when_the_registry_did_not_have_it(lalinde, tmp_path):
    # Derived as above, under a parent outside the Pays: without --departement, the parent
    # is still added, since a commune of the registry now belongs to it.
    path = tmp_path / "commune_derived.csv"
    derived = COMMUNES.read_bytes().replace(LALINDE_COM, LALINDE_COMD.replace(b"24260", b"24001"))
    path.write_bytes(derived)
    out = run(path)
    assert "24001 Abjat-sur-Bandiat : ajoutée" in out
    lalinde.refresh_from_db()
    assert lalinde.merged_into.name == "Abjat-sur-Bandiat"
    assert "created 1," in out


def test_the_admin_shows_the_merger_and_the_communes_deleguees(lalinde, merged_cog, pays):
    run(merged_cog)
    client = host_client(pays.hostname)
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org"))
    mauzac = Collectivite.objects.get(code="24260")
    edit = "wagtailsnippets_communes_collectivite:edit"
    html = client.get(reverse(edit, args=[lalinde.pk])).content.decode()
    assert "Fusionnée dans" in html and "Mauzac-et-Grand-Castang" in html
    html = client.get(reverse(edit, args=[mauzac.pk])).content.decode()
    assert "Grand-Castang (24201, associée), Lalinde (24223, déléguée)" in html
