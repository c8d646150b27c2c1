"""Provisioning: what a Pays team sees when it runs the factory, once and again."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    WorkflowPage,
)

from communes.models import Collectivite, CollectiviteGroup
from conftest import COMMUNE_A, COMMUNE_B, host_client
from sitefactory.models import ProvisionedPage, ProvisioningLog
from sitefactory.services.provisioning import provision


def run(*args):
    out = StringIO()
    try:
        call_command("provision", *args, stdout=out, stderr=StringIO())
    except SystemExit as exc:
        return out.getvalue(), exc.code
    return out.getvalue(), 0


def last_line(output):
    return output.strip().splitlines()[-1]


def test_provision_creates_site_pages_groups_collection_workflow(communes):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    assert bergerac.status == Collectivite.Status.PROVISIONED
    assert bergerac.provisioned_blueprint == "commune"
    assert bergerac.provisioned_at is not None

    site = Site.objects.get(hostname="bergerac.pays.test")
    home = site.root_page.specific
    assert bergerac.site == site and bergerac.home_page_id == home.pk
    assert home.url_path == "/grand-bergeracois/communes/bergerac/"
    assert home.title == "Bergerac"
    assert "24100" in home.intro and "CA Bergeracoise" in home.intro
    slugs = set(home.get_children().values_list("slug", flat=True))
    assert {
        "mairie",
        "demarches",
        "contact",
        "accessibilite",
        "mentions-legales",
        "donnees-personnelles",
        "plan-du-site",
    } <= slugs

    secretariat = Group.objects.get(name="Bergerac — Secrétariat")
    elus = Group.objects.get(name="Bergerac — Élus")
    assert CollectiviteGroup.objects.get(group=secretariat).collectivite == bergerac
    page_perms = set(
        GroupPagePermission.objects.filter(group=secretariat).values_list(
            "page_id", "permission__codename"
        )
    )
    assert page_perms == {(home.pk, "add_page"), (home.pk, "change_page")}
    assert not GroupPagePermission.objects.filter(group=elus).exists()
    collection = Collection.objects.get(pk=bergerac.collection_id)
    assert collection.name == "Bergerac"
    coll_perms = set(
        GroupCollectionPermission.objects.filter(group=secretariat).values_list(
            "collection_id", "permission__codename"
        )
    )
    assert (collection.pk, "add_image") in coll_perms
    assert {c for c, _ in coll_perms} == {collection.pk}
    assert secretariat.permissions.filter(codename="access_admin").exists()

    workflow = WorkflowPage.objects.get(page=home).workflow
    assert workflow.name == "Bergerac — Validation"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [
        "Pays du Grand Bergeracois — Équipe"
    ]


def test_every_site_answers_on_its_hostname_and_under_the_portal(communes, portal_client):
    for c in communes.values():
        c.refresh_from_db()
        response = host_client(c.hostname).get("/")
        assert response.status_code == 200
        assert f"<h1>{c.name}</h1>" in response.content.decode()
        response = portal_client.get(f"/communes/{c.slug}/")
        assert response.status_code == 200
        assert f"<h1>{c.name}</h1>" in response.content.decode()


def test_portal_lists_provisioned_collectivites_with_links(communes, portal_client):
    html = portal_client.get("/").content.decode()
    assert 'href="http://bergerac.pays.test/"' in html
    assert "Lalinde" in html and "Eymet" in html
    assert "CC de Portes Sud Périgord" in html  # grouped by EPCI
    assert "Issigeac" not in html  # not provisioned yet


def test_rerun_changes_nothing_and_says_so(communes):
    before = (Page.objects.count(), Group.objects.count(), Site.objects.count())
    output, code = run(COMMUNE_A, COMMUNE_B, "PAYS")
    assert code == 0
    assert last_line(output) == "created 0, updated 0, unchanged 3, failed 0"
    assert (Page.objects.count(), Group.objects.count(), Site.objects.count()) == before


def test_rerun_after_a_lost_fingerprint_is_still_idempotent(communes):
    """Even when the fast path cannot be used, a re-run creates nothing twice."""
    Collectivite.objects.update(provision_fingerprint="")
    before = (
        Page.objects.count(),
        Group.objects.count(),
        Site.objects.count(),
        GroupPagePermission.objects.count(),
        WorkflowPage.objects.count(),
    )
    output, _code = run(COMMUNE_A, COMMUNE_B)
    assert last_line(output).startswith("created 0, updated 0, unchanged 2")
    assert (
        Page.objects.count(),
        Group.objects.count(),
        Site.objects.count(),
        GroupPagePermission.objects.count(),
        WorkflowPage.objects.count(),
    ) == before
    assert Page.find_problems() == ([], [], [], [], [])


def test_page_added_to_blueprint_reaches_every_site_without_overwriting_edits(
    communes, blueprints_copy
):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    # A secretary edits Lalinde's "Démarches" page.
    page = ProvisionedPage.objects.get(collectivite=lalinde, key="demarches").page.specific
    page.intro = "<p>Texte écrit par la mairie.</p>"
    page.save_revision().publish()

    path = blueprints_copy / "commune.toml"
    text = path.read_text()
    text = text.replace(
        "État civil, urbanisme, inscriptions", "Carte d'identité, urbanisme, inscriptions"
    )
    text += (
        '\n[[pages]]\nkey = "marches-publics"\ntype = "communes.StandardPage"\n'
        'title = "Marchés publics"\nslug = "marches-publics"\n'
        'intro = "<p>Les marchés publics de {nom}.</p>"\n'
    )
    # Keep [[pages]] before the [groups] tables: move the new page up.
    head, groups = text.split("[groups.secretariat]", 1)
    new_page = groups[groups.index("\n[[pages]]") :]
    groups = groups[: groups.index("\n[[pages]]")]
    path.write_text(head + new_page.lstrip("\n") + "\n[groups.secretariat]" + groups)

    output, code = run(COMMUNE_A, COMMUNE_B)
    assert code == 0, output
    assert last_line(output) == "created 0, updated 2, unchanged 0, failed 0"

    for c in (bergerac, lalinde):
        c.refresh_from_db()
        response = host_client(c.hostname).get("/marches-publics/")
        assert response.status_code == 200
        assert f"Les marchés publics de {c.name}" in response.content.decode()
    # Untouched page follows the blueprint; the edited one stays the secretary's.
    bergerac_demarches = host_client(bergerac.hostname).get("/demarches/").content.decode()
    assert "Carte d'identité, urbanisme" in bergerac_demarches
    lalinde_demarches = host_client(lalinde.hostname).get("/demarches/").content.decode()
    assert "Texte écrit par la mairie." in lalinde_demarches
    assert "Carte d'identité" not in lalinde_demarches

    output, _code = run(COMMUNE_A, COMMUNE_B)
    assert last_line(output) == "created 0, updated 0, unchanged 2, failed 0"


def test_deleted_optional_page_stays_deleted_required_page_comes_back(communes):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    records = ProvisionedPage.objects.filter(collectivite=bergerac)
    records.get(key="vie-locale").page.delete()
    records.get(key="mentions-legales").page.delete()
    Collectivite.objects.filter(pk=bergerac.pk).update(provision_fingerprint="")

    output, _code = run(COMMUNE_A)
    assert last_line(output) == "created 0, updated 1, unchanged 0, failed 0"
    client = host_client(bergerac.hostname)
    assert client.get("/mentions-legales/").status_code == 200
    assert client.get("/vie-locale/").status_code == 404


def test_one_failure_leaves_the_others_done_and_reported(pays_only, blueprints_copy):
    pays = pays_only
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    # Something already sits where Lalinde's home page would go: that unit must fail.
    index = ProvisionedPage.objects.get(collectivite=pays, key="communes").page
    from communes.models import StandardPage

    index.add_child(instance=StandardPage(title="Intrus", slug=lalinde.slug))
    pages_before = Page.objects.count()

    output, code = run(COMMUNE_A, COMMUNE_B, "24167")
    assert code == 1
    assert last_line(output) == "created 2, updated 0, unchanged 0, failed 1"
    assert "Lalinde" in output and "existe déjà" in output
    lalinde.refresh_from_db()
    assert lalinde.status == Collectivite.Status.TO_PROVISION
    assert not Site.objects.filter(hostname="lalinde.pays.test").exists()
    assert not Group.objects.filter(name__startswith="Lalinde").exists()
    assert Page.objects.count() == pages_before + 2 * 19  # two sites of 19 pages
    assert ProvisioningLog.objects.filter(collectivite=lalinde, result="failed").exists()


def test_dry_run_reports_and_writes_nothing(pays_only):
    pages, sites = Page.objects.count(), Site.objects.count()
    output, code = run(COMMUNE_A, COMMUNE_B, "--dry-run")
    assert code == 0
    assert last_line(output) == "[dry-run] created 2, updated 0, unchanged 0, failed 0"
    assert (Page.objects.count(), Site.objects.count()) == (pages, sites)
    assert Collectivite.objects.get(code=COMMUNE_A).status == Collectivite.Status.TO_PROVISION


def test_unknown_code_and_unknown_blueprint_are_clear_errors(registry):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="99999"):
        call_command("provision", "99999", stdout=StringIO())
    with pytest.raises(CommandError, match="inconnu"):
        call_command("provision", "--all", "--blueprint", "chateau", stdout=StringIO())


def test_blueprint_of_wrong_kind_fails_that_collectivite_only(pays):
    report = provision(Collectivite.objects.filter(code=COMMUNE_A), blueprint="epci")
    (outcome,) = report.outcomes
    assert outcome.result == "failed" and "ne s'applique pas" in outcome.error


def test_commune_without_the_pays_provisioned_gets_a_clear_message(registry_only):
    from sitefactory.services.provisioning import Provisioner

    outcome = Provisioner().provision(Collectivite.objects.get(code=COMMUNE_A))
    assert outcome.result == "failed"
    assert "provisionnez d'abord le Pays" in outcome.error


def test_renamed_collectivite_updates_its_site(communes):
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    lalinde.name = "Lalinde-en-Périgord"
    lalinde.save()
    output, _code = run(COMMUNE_B)
    assert last_line(output) == "created 0, updated 1, unchanged 0, failed 0"
    lalinde.refresh_from_db()
    assert lalinde.site.site_name == "Lalinde-en-Périgord"
    assert lalinde.home_page.title == "Lalinde-en-Périgord"
    assert Group.objects.filter(name="Lalinde-en-Périgord — Secrétariat").exists()


def test_blueprint_errors_are_reported_before_anything_is_written(tmp_path, pays, blueprints_copy):
    from wagtail.models import Collection

    from sitefactory.services.blueprints import BlueprintError, parse_blueprint

    def parse(text):
        path = tmp_path / "x.toml"
        path.write_text(text)
        return parse_blueprint(path)

    base = 'name = "x"\nkinds = ["commune"]\nparent = "pays:communes"\n'
    home = '[home]\ntype = "communes.CollectiviteHomePage"\ntitle = "{nom}"\n'
    with pytest.raises(BlueprintError, match="placeholder inconnu"):
        parse(base + '[home]\ntype = "communes.CollectiviteHomePage"\ntitle = "{maire}"\n')
    with pytest.raises(BlueprintError, match="type de page inconnu"):
        parse(base + '[home]\ntype = "communes.Chateau"\ntitle = "x"\n')
    with pytest.raises(BlueprintError, match="ne peut pas être placée"):
        parse(base + home + '[[pages]]\nkey = "a"\ntype = "communes.NewsPage"\ntitle = "A"\n')
    with pytest.raises(BlueprintError, match="n'a pas de champ"):
        parse(
            base + home + '[[pages]]\nkey = "a"\ntype = "communes.StandardPage"\n'
            'title = "A"\ncouleur = "rouge"\n'
        )
    with pytest.raises(BlueprintError, match="TOML illisible"):
        parse(base + "[home\n")

    # Provisioning with such a blueprint fails at once, and writes no page, site or group.
    (blueprints_copy / "commune.toml").write_text(
        base + '[home]\ntype = "communes.CollectiviteHomePage"\ntitle = "{maire}"\n'
    )
    other = Collectivite.objects.filter(kind="commune", status="to_provision").first()
    counts = [m.objects.count() for m in (Page, Site, Group, Collection, ProvisionedPage)]
    report = provision(Collectivite.objects.filter(pk=other.pk))
    (outcome,) = report.outcomes
    assert outcome.result == "failed" and "placeholder inconnu" in outcome.error
    assert [m.objects.count() for m in (Page, Site, Group, Collection, ProvisionedPage)] == counts
    other.refresh_from_db()
    assert other.status == Collectivite.Status.TO_PROVISION and other.site_id is None


def test_renaming_an_epci_updates_its_members_pages(communes):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    epci = bergerac.epci
    epci.name = "Communauté d'agglomération bergeracoise"
    epci.save()
    output, _code = run(COMMUNE_A)
    assert last_line(output) == "created 0, updated 1, unchanged 0, failed 0"
    bergerac.refresh_from_db()
    assert "Communauté d'agglomération bergeracoise" in bergerac.home_page.specific.intro


def test_a_new_pays_domain_moves_every_site_with_one_command(communes, settings):
    """README: after changing PAYS_DOMAIN, `manage.py provision --all` moves the sites."""
    settings.PAYS_DOMAIN = "grand-bergeracois.fr"
    output, code = run("--all")
    assert code == 0
    hostnames = set(Site.objects.values_list("hostname", flat=True))
    assert "grand-bergeracois.fr" in hostnames
    assert f"{Collectivite.objects.get(code=COMMUNE_A).slug}.grand-bergeracois.fr" in hostnames
    assert not [h for h in hostnames if h.endswith("pays.test")]
    output, code = run("--all")
    assert "updated 0" in last_line(output)


def test_a_bulk_run_leaves_the_planner_statistics_up_to_date(communes):
    """After many inserts the planner must know the tables' sizes (provisioning.py
    refresh_statistics): a stale estimate made one portal query 130 times slower."""
    from django.db import connection
    from wagtail.models import Page

    from sitefactory.services.provisioning import refresh_statistics

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's (set DATABASE_URL to run this test)")
    parent = communes[COMMUNE_A].site.root_page
    for n in range(40):  # rows no statistics know of yet (not committed: autovacuum can't)
        parent.add_child(instance=Page(title=f"Page {n}", slug=f"page-{n}"))

    refresh_statistics()

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'wagtailcore_page'")
        (estimate,) = cursor.fetchone()
    assert estimate == Page.objects.count()
