"""The Occitan admin and the communes' admin do not meet: a secretary sees nothing of the
lexicon, a partner nothing of any commune."""

import pytest
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import Page, Revision, WorkflowState

from communes.models import Banner
from conftest import COMMUNE_A
from occitan.models import Entry
from occitan.tests.conftest import admin_client
from occitan.tests.test_review_workflow import ENTRY, entry_data

OCCITAN_MENU = "snippets/occitan/entry/"


@pytest.fixture
def submitted(editors):
    """An entry a writer submitted: a revision and a workflow state of the lexicon."""
    writer = admin_client(editors["writer"])
    writer.post(reverse(f"{ENTRY}:add"), entry_data(**{"action-submit": "1"}))
    return Entry.objects.get(slug="maison")


def test_a_secretary_sees_none_of_the_occitan_admin(editors, submitted):
    secretary = admin_client(editors["secretary"])
    home = secretary.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert OCCITAN_MENU not in home.content.decode()
    revision = Revision.objects.filter(object_id=str(submitted.pk)).latest("pk")
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    for name in ("expression", "theme", "speaker", "recording"):
        assert secretary.get(reverse(f"wagtailsnippets_occitan_{name}:list")).status_code in (
            302,
            403,
        )
    for url in (
        reverse(f"{ENTRY}:list"),
        reverse(f"{ENTRY}:add"),
        reverse(f"{ENTRY}:edit", args=[submitted.pk]),
        reverse(f"{ENTRY}:history", args=[submitted.pk]),
        reverse(f"{ENTRY}:workflow_history", args=[submitted.pk]),
        reverse(f"{ENTRY}:workflow_history_detail", args=[submitted.pk, state.pk]),
        reverse(f"{ENTRY}:revisions_revert", args=[submitted.pk, revision.pk]),
        reverse(
            f"{ENTRY}:revisions_compare",
            kwargs={"pk": submitted.pk, "revision_id_a": "earliest", "revision_id_b": revision.pk},
        ),
        reverse("wagtailadmin_workflows:task_chooser"),
        reverse("wagtailsnippetchoosers_occitan_entry:chosen", args=[submitted.pk]),
        reverse("occitan_suggest") + "?q=maison",
    ):
        response = secretary.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "ostal" not in response.content.decode(), url
    # Wagtail's choosers and moderation reports answer any admin user: none shows the entry.
    for url in (
        reverse("wagtailsnippetchoosers_occitan_entry:choose"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:site_history"),
    ):
        assert "ostal" not in secretary.get(url).content.decode(), url
    response = secretary.post(reverse(f"{ENTRY}:edit", args=[submitted.pk]), entry_data())
    assert response.status_code in (302, 403, 404)
    assert Entry.objects.get(pk=submitted.pk).occitan == "l'ostal"


def test_a_partner_sees_nothing_of_any_commune(editors, communes, submitted):
    writer = admin_client(editors["writer"])
    home = writer.get(reverse("wagtailadmin_home")).content.decode()
    assert OCCITAN_MENU in home
    assert "snippets/communes/banner/" not in home
    commune_home = communes[COMMUNE_A].home_page
    banner = Banner.objects.create(
        title="Bandeau de A",
        end="2099-01-01T00:00Z",
        site_id=communes[COMMUNE_A].site_id,
        live=True,
    )
    log(banner, "wagtail.create", user=editors["secretary"])
    log(commune_home.specific, "wagtail.edit", user=editors["secretary"])
    for url in (
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[commune_home.pk]),
        reverse("wagtailadmin_pages:edit", args=[commune_home.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[commune_home.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailsnippets_communes_banner:list"),
        reverse("wagtailsnippets_communes_collectivite:list"),
    ):
        response = writer.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "Bandeau de A" not in response.content.decode(), url
    # Reports answer any admin user, narrowed: nothing of the commune (the team sees it).
    history = admin_client(editors["staff"]).get(reverse("wagtailadmin_reports:site_history"))
    assert "Bandeau de A" in history.content.decode()
    for url in (
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:workflow"),
    ):
        body = writer.get(url).content.decode()
        assert "Bandeau de A" not in body and f">{commune_home.title}<" not in body, url
    assert Page.objects.get(pk=commune_home.pk).title == commune_home.title


def test_the_partners_and_the_pays_team_work_in_the_occitan_admin(editors, submitted):
    for who in ("writer", "reviewer", "staff"):
        client = admin_client(editors[who])
        for url in (
            reverse(f"{ENTRY}:list"),
            reverse(f"{ENTRY}:edit", args=[submitted.pk]),
            reverse(f"{ENTRY}:workflow_history", args=[submitted.pk]),
            reverse("wagtailsnippets_occitan_recording:add"),
        ):
            assert client.get(url).status_code == 200, (who, url)
