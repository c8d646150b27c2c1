"""The recycle bin: a deleted page can be brought back, with its revisions, by its own commune
only, until the purge deletes it for good."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Revision, WorkflowState

from communes.models import Collectivite, StandardPage
from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from recyclebin.models import RecycleBinEntry
from recyclebin.services import move_to_bin
from search import indexing
from search.models import SearchEntry
from search.sources import page_key
from serving.cache import read_content_version
from sitefactory.models import ProvisionedPage


def provisioned(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def client_for(user, pays):
    client = host_client(pays.hostname)
    client.force_login(user)
    return client


@pytest.fixture
def bergerac(communes):
    return communes[COMMUNE_A]


@pytest.fixture
def team(pays):
    return client_for(member("equipe", pays, "equipe"), pays)


@pytest.fixture
def vie_locale(bergerac):
    """A live provisioned page with three revisions and a live subpage."""
    page = provisioned(bergerac, "vie-locale")
    for n in (2, 3):
        page.intro = f"<p>Version {n} de la vie locale.</p>"
        page.save_revision().publish()
    page.add_child(instance=StandardPage(title="Associations", slug="associations"))
    page.refresh_from_db()
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 3
    return page


def delete_in_admin(client, page):
    return client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))


def test_deleted_page_goes_to_the_bin_and_is_restored_with_its_revisions(
    bergerac, pays, team, vie_locale, django_capture_on_commit_callbacks
):
    visitor = host_client(bergerac.hostname)
    with django_capture_on_commit_callbacks(execute=True):
        indexing.reindex()
    assert SearchEntry.objects.filter(key=page_key(vie_locale.pk)).exists()
    assert visitor.get("/vie-locale/").status_code == 200
    version = read_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = delete_in_admin(team, vie_locale)
    assert response.status_code == 302

    # Gone from the site, its search results, the explorer; kept, in the bin.
    assert visitor.get("/vie-locale/").status_code == 404
    assert visitor.get("/vie-locale/associations/").status_code == 404
    assert not SearchEntry.objects.filter(key=page_key(vie_locale.pk)).exists()
    assert read_content_version() != version
    explorer = team.get(reverse("wagtailadmin_explore", args=[bergerac.home_page_id]))
    assert "Version 3 de la vie locale" not in explorer.content.decode()
    assert f'href="/admin/pages/{vie_locale.pk}/edit/"' not in explorer.content.decode()
    listing = team.get(reverse("recyclebin:index")).content.decode()
    assert "Vie locale" in listing or vie_locale.title in listing
    entry = RecycleBinEntry.objects.get(page=vie_locale.pk)
    assert entry.collectivite == bergerac and entry.page_count == 2
    assert Revision.page_revisions.filter(object_id=str(vie_locale.pk)).count() == 3

    confirm = team.get(reverse("recyclebin:restore", args=[entry.pk]))
    assert confirm.status_code == 200 and "Oui, restaurer" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(reverse("recyclebin:restore", args=[entry.pk]))
    assert response.status_code == 302

    page = Page.objects.get(pk=vie_locale.pk)  # the same page
    assert page.live and page.get_parent().pk == bergerac.home_page_id
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 3
    assert "Version 3 de la vie locale" in visitor.get("/vie-locale/").content.decode()
    assert visitor.get("/vie-locale/associations/").status_code == 200
    assert SearchEntry.objects.filter(key=page_key(page.pk)).exists()
    # Still the factory's page, and back in its place among its siblings.
    assert ProvisionedPage.objects.get(collectivite=bergerac, key="vie-locale").page_id == page.pk
    assert not RecycleBinEntry.objects.exists()
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_secretary_sees_and_restores_only_their_own_communes_deleted_pages(communes, pays):
    bergerac, lalinde = communes[COMMUNE_A], communes[COMMUNE_B]
    sec_a = member("sec-a", bergerac, "secretariat")
    secretary_a = client_for(sec_a, pays)
    secretary_b = client_for(member("sec-b", lalinde, "secretariat"), pays)
    home = Page.objects.get(pk=bergerac.home_page_id)
    draft = home.add_child(
        instance=StandardPage(
            title="Projet de compte rendu confidentiel", slug="projet", live=False
        )
    )
    draft.save_revision(user=sec_a)
    draft.get_workflow().start(draft, sec_a)

    # A secretary may delete a draft (not a live page: that needs publishing rights).
    assert delete_in_admin(secretary_a, draft).status_code == 302
    entry = RecycleBinEntry.objects.get(page=draft.pk)
    # Nothing waits for approval in the bin.
    assert not WorkflowState.objects.active().filter(object_id=str(draft.pk)).exists()

    assert "Projet de compte rendu" in secretary_a.get(reverse("recyclebin:index")).content.decode()
    assert (
        "Projet de compte rendu"
        not in secretary_b.get(reverse("recyclebin:index")).content.decode()
    )
    url = reverse("recyclebin:restore", args=[entry.pk])
    assert secretary_b.get(url).status_code == 404
    assert secretary_b.post(url).status_code == 404
    assert RecycleBinEntry.objects.filter(pk=entry.pk).exists()
    # Nor through Wagtail's own views, now that the page is outside their site.
    edit = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert secretary_b.get(edit).status_code == 404
    assert secretary_a.get(edit).status_code == 404

    assert secretary_a.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.get_parent().pk == home.pk and not draft.live
    assert secretary_a.get(edit).status_code == 200


def test_purge_deletes_for_good_after_the_retention_period_only(bergerac, vie_locale):
    old = move_to_bin(vie_locale)
    young = move_to_bin(provisioned(bergerac, "mentions-legales"))
    now = timezone.now()
    RecycleBinEntry.objects.filter(pk=old.pk).update(deleted_at=now - datetime.timedelta(days=31))
    RecycleBinEntry.objects.filter(pk=young.pk).update(deleted_at=now - datetime.timedelta(days=29))

    out = StringIO()
    call_command("purge_recycle_bin", stdout=out)
    assert out.getvalue().startswith("1 page(s)")
    assert not Page.objects.filter(pk=vie_locale.pk).exists()
    assert not RecycleBinEntry.objects.filter(pk=old.pk).exists()
    assert Page.objects.filter(pk=young.page_id).exists()
    assert RecycleBinEntry.objects.filter(pk=young.pk).exists()
    # The factory's record now says "deleted": it stays so unless the blueprint requires it.
    assert ProvisionedPage.objects.get(collectivite=bergerac, key="vie-locale").page_id is None


def test_the_factory_counts_a_binned_page_as_deleted_and_restoring_keeps_its_record(bergerac):
    vie_locale = provisioned(bergerac, "vie-locale")  # optional in the blueprint
    mentions = provisioned(bergerac, "mentions-legales")  # required
    entry = move_to_bin(vie_locale)
    move_to_bin(mentions)
    Collectivite.objects.filter(pk=bergerac.pk).update(provision_fingerprint="")

    call_command("provision", COMMUNE_A, stdout=StringIO(), stderr=StringIO())
    visitor = host_client(bergerac.hostname)
    assert visitor.get("/vie-locale/").status_code == 404
    recreated = provisioned(bergerac, "mentions-legales")
    assert recreated.pk != mentions.pk and recreated.live

    from recyclebin.services import restore

    restore(entry)
    assert visitor.get("/vie-locale/").status_code == 200
    assert provisioned(bergerac, "vie-locale").pk == vie_locale.pk


def test_bulk_delete_sends_the_pages_to_the_bin(bergerac, pays, team):
    pages = [provisioned(bergerac, key) for key in ("vie-locale", "plan-du-site")]
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    query = "&".join(f"id={p.pk}" for p in pages)
    response = team.post(f"{url}?{query}&next=/admin/")
    assert response.status_code == 302
    assert RecycleBinEntry.objects.filter(page__in=[p.pk for p in pages]).count() == 2
    assert Page.objects.filter(pk__in=[p.pk for p in pages], live=False).count() == 2
    assert host_client(bergerac.hostname).get("/vie-locale/").status_code == 404


def test_the_bin_is_not_in_the_explorer_nor_the_page_chooser(bergerac, pays):
    from django.contrib.auth import get_user_model

    from recyclebin.services import bin_page

    page = provisioned(bergerac, "vie-locale")
    move_to_bin(page)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    client = client_for(admin, pays)
    root = Page.get_first_root_node()
    for name in ("wagtailadmin_explore", "wagtailadmin_choose_page_child"):
        body = client.get(reverse(name, args=[root.pk])).content.decode()
        assert f"/{bin_page().pk}/" not in body, name
        assert f"/{pays.home_page_id}/" in body, name


def test_the_admin_api_deletes_to_the_bin_too(bergerac, team):
    page = provisioned(bergerac, "vie-locale")
    url = reverse("wagtailadmin_api:pages:action", args=[page.pk, "delete"])
    response = team.post(url, data={}, content_type="application/json")
    assert response.status_code == 204
    assert RecycleBinEntry.objects.filter(page=page.pk).exists()
    assert host_client(bergerac.hostname).get("/vie-locale/").status_code == 404
