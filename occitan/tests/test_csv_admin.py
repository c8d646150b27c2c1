"""The admin's CSV pages of the lexicon: the Pays team and the section's partners, not a
commune's secretary."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communes.models import Collectivite
from conftest import COMMUNE_A, host_client, member
from occitan.models import Entry

DATA = Path(__file__).resolve().parent.parent / "data"


def upload(client, raw, kind="entries", dry_run=False):
    data = {"kind": kind, "file": SimpleUploadedFile("lexique.csv", raw, "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("occitan_import"), data)


@pytest.fixture
def partner(db):
    """A user of the section's partner group: the occitan permissions, nothing else."""
    group = Group.objects.create(name="Partenaire occitan (test)")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_entry", content_type__app_label="occitan"),
    )
    user = get_user_model().objects.create_user("ieo", password="x")  # noqa: S106
    user.groups.add(group)
    return user


def test_the_pays_team_imports_reads_the_report_and_exports(communes):
    staff = member("staff", Collectivite.objects.get(code="PAYS"), "equipe")
    client = host_client("pays.test")
    client.force_login(staff)
    assert client.get(reverse("occitan_import")).status_code == 200
    raw = (DATA / "expressions-seed.csv").read_bytes()
    response = upload(client, raw, "expressions", dry_run=True)
    assert response.status_code == 200
    assert "Résultat de l'essai à blanc" in response.content.decode()
    bad = raw + b"Merci !,,note\n"
    page = upload(client, bad, "expressions").content.decode()
    assert "<strong>27</strong> créés" in page
    assert "<td>29</td><td>occitan : valeur manquante</td>" in page
    export = client.get(reverse("occitan_export_expressions"))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    assert "Bonjorn a totes !" in export.content.decode("utf-8-sig")
    page = upload(client, b"mot,traduction\n").content.decode()
    assert "En-tête non reconnu" in page


def test_a_partner_imports_entries_and_a_secretary_gets_a_403(communes, partner):
    client = host_client("pays.test")
    client.force_login(partner)
    page = upload(client, (DATA / "lexicon-seed.csv").read_bytes()).content.decode()
    assert "<strong>214</strong> créés" in page
    assert not Entry.objects.filter(live=True).exists()
    assert client.get(reverse("occitan_export_entries")).status_code == 200
    # Expressions are not in this partner's permissions.
    assert client.get(reverse("occitan_export_expressions")).status_code == 403

    secretary = member("sec-a", communes[COMMUNE_A], "secretariat")
    client.force_login(secretary)
    for url in (
        reverse("occitan_import"),
        reverse("occitan_export_entries"),
        reverse("occitan_export_expressions"),
    ):
        assert client.get(url).status_code == 403, url
    assert upload(client, b"french,occitan\ntonnerre,lo tron\n").status_code == 403
    assert not Entry.objects.filter(slug="tonnerre").exists()
