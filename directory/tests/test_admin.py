"""The directory in the admin: a secretary edits their commune's entries, and what they
change is locked against re-imports; the Pays team starts imports and reads the journal."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from directory.importers.annuaire import AnnuaireImporter
from directory.models import ImportRun, ServiceEntry
from directory.services.imports import run_import

FILES = Path(__file__).parent / "files"


def edit_data(entry, **changes):
    values = {
        "name": entry.name,
        "category": entry.category_id,
        "commune": entry.commune_id,
        "description": entry.description,
        "address": entry.address,
        "postcode": entry.postcode,
        "city": entry.city,
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "phone": entry.phone,
        "email": entry.email,
        "website": entry.website,
        "accessibility": entry.accessibility,
        "extra": "{}",
        "opening_hours": inline_formset(
            [
                {
                    "id": row.pk,
                    "weekday": row.weekday,
                    "morning_open": row.morning_open.strftime("%H:%M"),
                    "morning_close": row.morning_close.strftime("%H:%M"),
                    "afternoon_open": row.afternoon_open.strftime("%H:%M")
                    if row.afternoon_open
                    else "",
                    "afternoon_close": row.afternoon_close.strftime("%H:%M")
                    if row.afternoon_close
                    else "",
                    "ORDER": i,
                }
                for i, row in enumerate(entry.opening_hours.all())
            ],
            initial=entry.opening_hours.count(),
        ),
        "hours_exceptions": inline_formset([]),
        "locked_fields": [],
        **changes,
    }
    if entry.position_approximate:
        values["position_approximate"] = "on"
    return nested_form_data(values)


def test_secretary_edit_locks_the_field_and_the_import_keeps_it(communes):
    run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    a = communes[COMMUNE_A]
    secretary = member("sec-a", a, "secretariat")
    client = host_client("pays.test")
    client.force_login(secretary)
    mairie = ServiceEntry.objects.get(external_id="mairie-24037-01")
    listing = client.get(reverse("wagtailsnippets_directory_serviceentry:list"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Mairie - Bergerac" in body and "Mairie - Lalinde" not in body

    url = reverse("wagtailsnippets_directory_serviceentry:edit", args=[mairie.pk])
    response = client.post(url, edit_data(mairie, phone="05 53 22 22 22"))
    assert response.status_code == 302, response.content.decode()[:3000]
    mairie.refresh_from_db()
    assert mairie.phone == "05 53 22 22 22"
    assert mairie.locked_fields == ["phone"]
    assert mairie.last_checked_at is not None  # an editor went through it
    edit_page = client.get(url).content.decode()
    assert "les imports ne les remplacent plus" in edit_page

    report = run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    assert report.counts["created"] == 0 and report.counts["unchanged"] == 5
    mairie.refresh_from_db()
    assert mairie.phone == "05 53 22 22 22"


def test_a_secretary_cannot_move_an_entry_to_another_commune(communes):
    run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    secretary = member("sec-a", a, "secretariat")
    client = host_client("pays.test")
    client.force_login(secretary)
    mairie = ServiceEntry.objects.get(external_id="mairie-24037-01")
    url = reverse("wagtailsnippets_directory_serviceentry:edit", args=[mairie.pk])
    response = client.post(url, edit_data(mairie, commune=b.pk))
    assert response.status_code == 200  # the form answers with its error
    mairie.refresh_from_db()
    assert mairie.commune_id == a.pk


def test_imports_are_for_the_pays_team(communes):
    a = communes[COMMUNE_A]
    secretary = member("sec-a", a, "secretariat")
    client = host_client("pays.test")
    client.force_login(secretary)
    assert client.get(reverse("directory_import")).status_code in (302, 403)
    category_list = client.get(reverse("wagtailsnippets_directory_category:list"))
    assert category_list.status_code in (302, 403)

    staff = member("staff", Collectivite.objects.get(code="PAYS"), "equipe")
    client.force_login(staff)
    assert client.get(reverse("directory_import")).status_code == 200
    upload = SimpleUploadedFile(
        "annuaire.json", (FILES / "annuaire" / "annuaire-bulk.json").read_bytes()
    )
    response = client.post(
        reverse("directory_import"), {"source": "annuaire", "file": upload, "dry_run": ""}
    )
    assert response.status_code == 302
    run = ImportRun.objects.get(source="annuaire")
    assert run.result == ImportRun.Result.DONE and run.user == staff
    assert run.counts["created"] == 5
    journal = client.get(reverse("directory-imports:index")).content.decode()
    assert "5 créés" in journal and "périmètre : département 24" in journal
    # Nothing to read: the form says so.
    response = client.post(reverse("directory_import"), {"source": "annuaire"})
    assert "Envoyez un fichier ou donnez une adresse" in response.content.decode()


def test_the_admin_import_asks_for_confirm_before_archiving_much(communes):
    import json

    staff = member("staff", Collectivite.objects.get(code="PAYS"), "equipe")
    client = host_client("pays.test")
    client.force_login(staff)
    document = json.loads((FILES / "annuaire" / "annuaire-bulk.json").read_text())
    document["service"] = [r for r in document["service"] if r["id"] != "sans-nom-24037"]
    run_import(AnnuaireImporter(), json.dumps(document).encode())
    document["service"] = document["service"][:1]  # four of five would be archived

    def post(**extra):
        upload = SimpleUploadedFile("annuaire.json", json.dumps(document).encode())
        data = {"source": "annuaire", "file": upload, **extra}
        assert client.post(reverse("directory_import"), data).status_code == 302
        return ImportRun.objects.filter(source="annuaire").first()

    form = client.get(reverse("directory_import")).content.decode()
    assert "Confirmer l&#x27;archivage" in form
    run = post()
    assert run.result == ImportRun.Result.UNCONFIRMED and run.counts["archived"] == 0
    assert "Confirmer l" in run.scope and ServiceEntry.objects.active().count() == 5
    journal = client.get(reverse("directory-imports:index")).content.decode()
    assert "archivage à confirmer" in journal
    run = post(confirm="on")
    assert run.result == ImportRun.Result.DONE and run.counts["archived"] == 4
    assert ServiceEntry.objects.active().count() == 1
