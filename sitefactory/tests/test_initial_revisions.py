"""The factory's pages start with a revision: moderation compares against it, revert goes back
to it, and the factory still tells its untouched pages from the ones an editor worked on."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Revision

from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, host_client, member
from sitefactory.models import ProvisionedPage

PROVISIONED_INTRO = "Horaires, contact et élus de la mairie de Bergerac."
SITES = ("PAYS", COMMUNE_A, COMMUNE_B, COMMUNE_C)
SECRETARY_INTRO = "La mairie est fermée le samedi matin pendant l'été."


def provision_cmd(*args):
    out = StringIO()
    call_command("provision", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()[-1]


def record(collectivite, key):
    return ProvisionedPage.objects.select_related("page").get(collectivite=collectivite, key=key)


def test_every_provisioned_page_has_one_live_revision_of_its_content(communes):
    records = ProvisionedPage.objects.select_related("page").exclude(page=None)
    assert records.exists()
    for rec in records:
        page = rec.page.specific
        assert page.latest_revision_id is not None, rec
        assert page.live_revision_id == page.latest_revision_id == rec.revision_id
        assert not page.has_unpublished_changes
        revision = page.latest_revision
        assert revision.user is None
        assert revision.as_object().title == page.title
        assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1
    mairie = record(communes[COMMUNE_A], "mairie").page.specific
    assert PROVISIONED_INTRO in mairie.latest_revision.as_object().intro


def test_existing_sites_get_their_first_revision_once_and_reruns_stay_free(communes):
    """What `provision --all` does on an install from before initial revisions."""
    Revision.page_revisions.all().delete()
    assert not Page.objects.exclude(latest_revision=None).exists()
    pages = ProvisionedPage.objects.exclude(page=None).count()

    assert provision_cmd(*SITES) == "created 0, updated 0, unchanged 4, failed 0"
    assert Revision.page_revisions.count() == pages
    assert not ProvisionedPage.objects.exclude(page=None).filter(revision=None).exists()

    before = Revision.page_revisions.count()
    assert provision_cmd(*SITES) == "created 0, updated 0, unchanged 4, failed 0"
    assert Revision.page_revisions.count() == before


def test_rerun_over_sites_with_revisions_costs_one_query_for_them(
    communes, django_assert_max_num_queries
):
    from sitefactory.services.provisioning import add_missing_revisions

    collectivites = list(Collectivite.objects.all())
    with django_assert_max_num_queries(1):
        assert add_missing_revisions(collectivites) == 0


@pytest.fixture
def submitted(communes):
    """A secretary of Bergerac edits the factory's "La mairie" page and submits it."""
    bergerac = communes[COMMUNE_A]
    secretary = member("sec-bergerac", bergerac, "secretariat")
    page = record(bergerac, "mairie").page.specific
    provisioned = page.latest_revision
    page.intro = f"<p>{SECRETARY_INTRO}</p>"
    submitted = page.save_revision(user=secretary)
    page.get_workflow().start(page, secretary)
    return page, provisioned, submitted, secretary


def test_moderation_compares_the_secretary_change_with_the_provisioned_text(submitted, pays):
    page, provisioned, revision, secretary = submitted
    approver = member("equipe", pays, "equipe")
    url = reverse(
        "wagtailadmin_pages:revisions_compare", args=[page.pk, provisioned.pk, revision.pk]
    )
    for user in (approver, secretary):
        client = host_client(pays.hostname)
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Horaires, contact et élus" in body
        assert "fermée le samedi matin" in body


def test_revert_to_the_provisioned_revision_fills_the_edit_form_with_its_text(submitted, pays):
    page, provisioned, _revision, secretary = submitted
    client = host_client(pays.hostname)
    client.force_login(secretary)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    # The rich text travels as Draftail JSON: compare plain-ASCII fragments.
    assert "le samedi matin" in edit
    response = client.get(
        reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, provisioned.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Horaires, contact et" in body
    assert "le samedi matin" not in body


def change_blueprint(blueprints_copy, old, new):
    path = blueprints_copy / "commune.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_blueprint_update_of_an_untouched_page_is_a_new_revision_and_edits_still_win(
    communes, blueprints_copy
):
    bergerac, lalinde = communes[COMMUNE_A], communes[COMMUNE_B]
    first = record(bergerac, "mairie").revision_id
    edited = record(lalinde, "mairie").page.specific
    edited.intro = "<p>Texte de la mairie de Lalinde.</p>"
    edited.save_revision().publish()

    change_blueprint(blueprints_copy, "Horaires, contact et élus", "Horaires et contact")
    assert provision_cmd(COMMUNE_A, COMMUNE_B) == "created 0, updated 2, unchanged 0, failed 0"

    rec = record(bergerac, "mairie")
    page = rec.page.specific
    assert "Horaires et contact de la mairie" in page.intro
    assert rec.revision_id not in (None, first)
    assert page.latest_revision_id == page.live_revision_id == rec.revision_id
    assert "Horaires et contact" in page.latest_revision.as_object().intro
    # The provisioned text stays in the history, to compare with or revert to.
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 2
    lalinde_page = record(lalinde, "mairie").page.specific
    assert lalinde_page.intro == "<p>Texte de la mairie de Lalinde.</p>"

    # A second blueprint change still updates the (still untouched) page.
    change_blueprint(blueprints_copy, "Horaires et contact", "Horaires, adresse et contact")
    assert provision_cmd(COMMUNE_A) == "created 0, updated 1, unchanged 0, failed 0"
    page.refresh_from_db()
    assert "Horaires, adresse et contact" in page.intro


def test_demo_content_keeps_the_revisions_in_step_with_the_pages(communes):
    from communes.models import NewsPage
    from sitefactory.services.demo_content import create_demo_content

    bergerac = communes[COMMUNE_A]
    create_demo_content(Collectivite.objects.filter(pk=bergerac.pk))
    mairie = record(bergerac, "mairie").page.specific
    # The edit form starts from the latest revision: it must show what the page shows.
    assert mairie.phone and mairie.latest_revision.as_object().phone == mairie.phone
    assert mairie.latest_revision_id == record(bergerac, "mairie").revision_id
    hours = mairie.latest_revision.content["opening_hours"]
    assert len(hours) == mairie.opening_hours.count() == 5
    news = NewsPage.objects.descendant_of(Page.objects.get(pk=bergerac.home_page_id))
    assert news.exists() and not news.filter(latest_revision=None).exists()
