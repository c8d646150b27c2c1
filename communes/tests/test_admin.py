"""The registry in the Wagtail admin, as the Pays team uses it."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Site

from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from sitefactory.models import ProvisioningLog

LISTING = "wagtailsnippets_communes_collectivite:list"
IMPORT = "communes_import_registry"


def client_for(user, pays):
    client = host_client(pays.hostname)
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(communes, pays):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    return client_for(user, pays)


@pytest.fixture
def team_client(communes, pays):
    """A member of the Pays team: permissions from the pays blueprint, not a superuser."""
    return client_for(member("equipe", pays, "equipe"), pays)


@pytest.fixture
def secretary_client(communes, pays):
    return client_for(member("secretaire", communes[COMMUNE_A], "secretariat"), pays)


def not_provisioned():
    """The first commune A–Z without a site: it is on the listing's first page."""
    return (
        Collectivite.objects.filter(
            kind=Collectivite.Kind.COMMUNE, status=Collectivite.Status.TO_PROVISION
        )
        .order_by("name")
        .first()
    )


def csv_upload(text, name="registre.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_listing_shows_registry_with_status_blueprint_and_site_link(admin_client):
    response = admin_client.get(reverse(LISTING))
    assert response.status_code == 200
    html = response.content.decode()
    first = not_provisioned()
    assert "Bergerac" in html and first.name in html
    assert "http://bergerac.pays.test/" in html  # the link to the site
    assert "Provisionnée" in html and "À provisionner" in html
    assert reverse(IMPORT) in html


def test_listing_filters_by_kind_and_status_and_searches(admin_client):
    first = not_provisioned()
    html = admin_client.get(reverse(LISTING), {"kind": "epci"}).content.decode()
    assert "CC Portes Sud P" in html or "CA Bergeracoise" in html
    assert "bergerac.pays.test" not in html and first.name not in html

    html = admin_client.get(reverse(LISTING), {"status": "provisioned"}).content.decode()
    assert "bergerac.pays.test" in html and "lalinde.pays.test" in html
    assert first.name not in html

    html = admin_client.get(reverse(LISTING), {"status": "to_provision"}).content.decode()
    assert first.name in html and "bergerac.pays.test" not in html

    html = admin_client.get(reverse(LISTING), {"q": "Lalinde"}).content.decode()
    assert "lalinde.pays.test" in html and "bergerac.pays.test" not in html


def test_export_csv_imports_back_unchanged(admin_client):
    response = admin_client.get(reverse(LISTING), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    lines = text.splitlines()
    assert lines[0].startswith("code,nom,type,codes_postaux,population,epci,")
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    row = next(line for line in lines if line.startswith(COMMUNE_A))
    assert f",{bergerac.epci.code}," in row and ",provisioned," in row

    upload = csv_upload(text, "export.csv")
    html = admin_client.post(reverse(IMPORT), {"file": upload}).content.decode()
    total = Collectivite.objects.count()
    assert f"<strong>{total}</strong> inchangées" in html
    assert "<strong>0</strong> rejetées" in html


def test_export_xlsx(admin_client):
    response = admin_client.get(reverse(LISTING), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('registre-collectivites.xlsx"')


def test_csv_import_creates_good_rows_and_reports_bad_lines(team_client):
    text = (
        "code;nom;type;codes_postaux;population\n"
        "24999;Saint-Essai;commune;24100;120\n"
        "1001;Zéro-Perdu;commune;24100;10\n"
        "24998;Sans-Code-Postal;commune;241;5\n"
        f"{COMMUNE_B};Lalinde;commune;24150;2900\n"
    )
    response = team_client.post(reverse(IMPORT), {"file": csv_upload(text)})
    assert response.status_code == 200
    html = response.content.decode()
    created = Collectivite.objects.get(code="24999")
    assert created.name == "Saint-Essai" and created.status == Collectivite.Status.TO_PROVISION
    assert "<strong>1</strong> créées" in html and "<strong>2</strong> rejetées" in html
    assert "<td>3</td>" in html and "le tableur a-t-il ôté le 0" in html
    assert "<td>4</td>" in html and "code postal invalide « 241 »" in html
    assert not Collectivite.objects.filter(code__in=["1001", "24998"]).exists()


def test_csv_import_reads_insee_files_and_lists_the_changes_by_name(team_client):
    path = Path(__file__).resolve().parents[2] / "tests/files/realdata/cog"
    raw = (path / "insee_cog_commune_2022_dep24.csv").read_bytes()
    upload = SimpleUploadedFile("commune_2022.csv", raw, content_type="text/csv")
    html = team_client.post(reverse(IMPORT), {"file": upload}).content.decode()
    assert "COG des communes (INSEE)" in html
    assert "24177 Faux-en-Périgord → Faux : nom" in html
    assert "<strong>0</strong> créées" in html  # without a department, nothing is added
    assert Collectivite.objects.get(code="24028").name == "Beaumontois en Périgord"


def test_csv_import_without_the_required_columns_is_a_form_error(admin_client):
    response = admin_client.post(
        reverse(IMPORT), {"file": csv_upload("commune;habitants\nBergerac;26000\n")}
    )
    assert response.status_code == 200
    assert "Colonnes obligatoires absentes" in response.content.decode()
    assert "Résultat de l&#x27;import" not in response.content.decode()


def test_csv_import_refuses_files_over_5_mb(admin_client):
    big = "code;nom\n" + "24999;Saint-Essai\n" * 400_000
    response = admin_client.post(reverse(IMPORT), {"file": csv_upload(big)})
    html = response.content.decode()
    assert "5 Mo au plus" in html
    assert not Collectivite.objects.filter(code="24999").exists()


def test_secretary_cannot_see_the_registry_nor_import(secretary_client):
    for url in (reverse(LISTING), reverse(IMPORT)):
        response = secretary_client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home")
    text = "code;nom\n24999;Saint-Essai\n"
    secretary_client.post(reverse(IMPORT), {"file": csv_upload(text)})
    assert not Collectivite.objects.filter(code="24999").exists()
    bulk = reverse("wagtail_bulk_action", args=("communes", "collectivite", "archive"))
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    secretary_client.post(f"{bulk}?id={bergerac.pk}")
    assert Collectivite.objects.get(code=COMMUNE_A).status == Collectivite.Status.PROVISIONED


def test_team_member_edits_a_collectivite(team_client):
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    url = reverse("wagtailsnippets_communes_collectivite:edit", args=[lalinde.pk])
    html = team_client.get(url).content.decode()
    assert 'name="name"' in html and 'name="code"' in html


# -- the factory's actions on the listing -------------------------------------------------------


def bulk_url(action, *collectivites):
    url = reverse("wagtail_bulk_action", args=("communes", "collectivite", action))
    ids = "&".join(f"id={c.pk}" for c in collectivites)
    return f"{url}?{ids}&next={reverse(LISTING)}"


def test_bulk_provision_provisions_a_collectivite_not_yet_provisioned(team_client):
    commune = not_provisioned()
    url = bulk_url("provision", commune)
    confirm = team_client.get(url)
    assert confirm.status_code == 200 and commune.name in confirm.content.decode()

    response = team_client.post(url, follow=True)

    commune.refresh_from_db()
    assert commune.status == Collectivite.Status.PROVISIONED
    assert Site.objects.filter(hostname=f"{commune.slug}.pays.test").exists()
    assert host_client(commune.hostname).get("/").status_code == 200
    log = ProvisioningLog.objects.get(collectivite=commune)
    assert log.result == "created" and log.user.username == "equipe"
    html = response.content.decode()
    assert "Provisionnement terminé : 1 créées, 0 mises à jour, 0 inchangées, 0 en échec" in html


def test_bulk_reprovision_with_a_blueprint_that_does_not_fit_reports_the_failure(team_client):
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    url = bulk_url("reprovision", lalinde)
    html = team_client.get(url).content.decode()
    assert 'value="epci"' in html and 'value="commune"' in html

    response = team_client.post(url, {"blueprint": "epci"}, follow=True)

    html = response.content.decode()
    assert "1 en échec" in html and "ne s&#x27;applique pas" in html
    log = ProvisioningLog.objects.filter(collectivite=lalinde).first()
    assert log.result == "failed" and log.blueprint == "epci"


def test_bulk_archive_and_restore(team_client):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    response = team_client.post(bulk_url("archive", bergerac, lalinde), follow=True)
    assert "2 sites archivés" in response.content.decode()
    assert set(
        Collectivite.objects.filter(status=Collectivite.Status.ARCHIVED).values_list(
            "code", flat=True
        )
    ) == {COMMUNE_A, COMMUNE_B}

    response = team_client.post(bulk_url("restore", bergerac), follow=True)
    assert "1 site restauré" in response.content.decode()
    assert Collectivite.objects.get(code=COMMUNE_A).status == Collectivite.Status.PROVISIONED


def test_bulk_archive_of_the_pays_is_refused_with_a_message(team_client, pays):
    response = team_client.post(bulk_url("archive", pays), follow=True)
    assert "ne peut pas être archivé" in response.content.decode()
    assert Collectivite.objects.get(pk=pays.pk).status == Collectivite.Status.PROVISIONED


def test_row_menu_offers_the_actions_that_fit_the_status(team_client):
    html = team_client.get(reverse(LISTING)).content.decode()
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    assert bulk_url("archive", bergerac).split("&next")[0] in html.replace("&amp;", "&")
    assert bulk_url("provision", not_provisioned()).split("&next")[0] in html.replace("&amp;", "&")


def test_provisioning_journal_is_read_only_and_filters_by_result(team_client):
    url = reverse("provisioning_log:index")
    html = team_client.get(url).content.decode()
    assert "Bergerac" in html and "Lalinde" in html and "commune" in html
    assert team_client.get(url, {"result": "archived"}).content.decode().count("Bergerac") == 0
    assert "provisioning_log:add" not in html
    log = ProvisioningLog.objects.filter(collectivite__code=COMMUNE_A).first()
    inspect = team_client.get(reverse("provisioning_log:inspect", args=[log.pk]))
    assert inspect.status_code == 200 and "Bergerac" in inspect.content.decode()


def test_secretary_does_not_see_the_journal(secretary_client):
    response = secretary_client.get(reverse("provisioning_log:index"))
    assert response.status_code in (302, 403)
