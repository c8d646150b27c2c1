"""Partners write, reviewers approve, and only then is an entry public: as real users,
through the admin's URLs."""

from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    TaskState,
    Workflow,
    WorkflowContentType,
)

from communes.models import Collectivite
from occitan.models import Entry, Expression, Recording
from occitan.tests.conftest import admin_client
from sitefactory.services.provisioning import provision

ENTRY = "wagtailsnippets_occitan_entry"
EXPRESSION = "wagtailsnippets_occitan_expression"


def entry_data(**values):
    data = {
        "french": "maison",
        "slug": "maison",
        "occitan": "l'ostal",
        "dialect": "lengadocian",
        "variant_gascon": "l'ostau",
        "variant_lemosin": "",
        "part_of_speech": "noun",
        "gender": "m",
        "theme": "",
        "example_fr": "",
        "example_oc": "",
        "recording": "",
        "source": "",
        "credit": "",
    }
    return {**data, **values}


def expression_data(**values):
    data = {
        "occitan": "Bonjorn a totes !",
        "dialect": "lengadocian",
        "slug": "bonjorn",
        "literal": "Bonjour à tous !",
        "meaning": "",
        "usage_note": "",
        "theme": "",
        "recording": "",
        "source": "",
        "credit": "",
    }
    return {**data, **values}


def table(response):
    body = response.content.decode()
    assert response.status_code == 200
    start = body.find('<table class="listing')
    return "" if start < 0 else body[start : body.index("</table>", start)]


def recording(transcript=""):
    return Recording.objects.create(
        title="Ostal, per Joana", original="x.ogg", transcript=transcript
    )


def test_provisioning_makes_the_partner_groups_and_the_review_workflow(editors):
    writers = Group.objects.get(name="Occitan — rédaction")
    reviewers = Group.objects.get(name="Occitan — relecture")
    workflow = Workflow.objects.get(name="Relecture occitane")
    linked = WorkflowContentType.objects.filter(workflow=workflow)
    assert {link.content_type.model for link in linked} == {"entry", "expression"}
    task = workflow.tasks.get().specific
    assert reviewers in task.groups.all()
    assert writers not in task.groups.all()
    # The partners: the admin's door and the Occitan models, nothing else.
    for group in (writers, reviewers):
        labels = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert "wagtailadmin.access_admin" in labels
        assert all(label.startswith("occitan.") for label in labels - {"wagtailadmin.access_admin"})
        assert not GroupPagePermission.objects.filter(group=group).exists()
        assert not GroupCollectionPermission.objects.filter(group=group).exists()
    assert not writers.permissions.filter(codename__startswith="publish").exists()
    assert reviewers.permissions.filter(codename="publish_entry").exists()
    assert editors["staff"].has_perm("occitan.publish_expression")

    # Provisioning again changes nothing of it.
    pays = Collectivite.objects.get(code="PAYS")
    pays.provision_fingerprint = ""
    pays.save(update_fields=["provision_fingerprint"])
    report = provision(Collectivite.objects.filter(pk=pays.pk))
    assert report.count("failed") == 0
    assert Workflow.objects.filter(name="Relecture occitane").count() == 1
    assert Group.objects.filter(name__startswith="Occitan —").count() == 2
    assert workflow.tasks.count() == 1


def test_a_writers_entry_goes_public_only_once_a_reviewer_approves_it(editors):
    writer = admin_client(editors["writer"])
    response = writer.post(reverse(f"{ENTRY}:add"), entry_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(slug="maison")
    assert entry.live is False
    listing = table(writer.get(reverse(f"{ENTRY}:list")))
    assert "à relire" in listing
    assert "None" not in listing and "True" not in listing and "False" not in listing

    # The writer may not publish: « publish » is not among their actions.
    writer.post(reverse(f"{ENTRY}:edit", args=[entry.pk]), entry_data(**{"action-publish": "1"}))
    entry.refresh_from_db()
    assert entry.live is False

    response = writer.post(
        reverse(f"{ENTRY}:edit", args=[entry.pk]), entry_data(**{"action-submit": "1"})
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.live is False
    assert entry.workflow_in_progress
    list_url = reverse(f"{ENTRY}:list")
    in_review = table(writer.get(list_url, {"status": "en-relecture"}))
    assert "maison" in in_review and "en relecture" in in_review
    assert "maison" not in table(writer.get(list_url, {"status": "publie"}))
    assert "maison" not in table(writer.get(list_url, {"status": "a-relire"}))

    # The writer cannot approve; the reviewer can.
    task_state = TaskState.objects.get(workflow_state=entry.current_workflow_state)
    approve = reverse(f"{ENTRY}:workflow_action", args=[entry.pk, "approve", task_state.pk])
    assert writer.post(approve, {"comment": ""}).status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.live is False and entry.workflow_in_progress
    reviewer = admin_client(editors["reviewer"])
    response = reviewer.post(approve, {"comment": "Bon."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.live is True
    assert not entry.workflow_in_progress
    assert Entry.objects.public().filter(pk=entry.pk).exists()
    published = table(reviewer.get(list_url, {"status": "publie"}))
    assert "maison" in published and "publié" in published
    assert "maison" not in table(reviewer.get(list_url, {"status": "en-relecture"}))
    # Searched by its Occitan form, filtered by dialect.
    assert "maison" in table(reviewer.get(list_url, {"q": "ostau", "dialect": "lengadocian"}))
    assert "maison" not in table(reviewer.get(list_url, {"dialect": "gascon"}))


def test_the_pays_team_publishes_directly(editors):
    staff = admin_client(editors["staff"])
    response = staff.post(reverse(f"{EXPRESSION}:add"), expression_data(**{"action-publish": "1"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Expression.objects.get(slug="bonjorn").live is True


def test_no_publication_of_a_recording_without_its_transcript(editors):
    silent = recording()
    staff = admin_client(editors["staff"])
    response = staff.post(
        reverse(f"{EXPRESSION}:add"),
        expression_data(recording=silent.pk, **{"action-publish": "1"}),
    )
    assert response.status_code == 200
    assert "n&#x27;a pas de transcription" in response.content.decode()
    assert not Expression.objects.filter(slug="bonjorn").exists()

    # A writer saves a draft with it (allowed), but may not submit it for review.
    writer = admin_client(editors["writer"])
    assert writer.post(reverse(f"{ENTRY}:add"), entry_data(recording=silent.pk)).status_code == 302
    entry = Entry.objects.get(slug="maison")
    response = writer.post(
        reverse(f"{ENTRY}:edit", args=[entry.pk]),
        entry_data(recording=silent.pk, **{"action-submit": "1"}),
    )
    assert response.status_code == 200
    assert "transcription" in response.content.decode()
    assert not entry.workflow_in_progress


def test_approval_is_refused_while_the_transcript_is_empty(editors):
    spoken = recording("L'ostal.")
    writer = admin_client(editors["writer"])
    writer.post(reverse(f"{ENTRY}:add"), entry_data(recording=spoken.pk, **{"action-submit": "1"}))
    entry = Entry.objects.get(slug="maison")
    assert entry.workflow_in_progress
    Recording.objects.filter(pk=spoken.pk).update(transcript=" ")  # emptied meanwhile

    reviewer = admin_client(editors["reviewer"])
    task_state = TaskState.objects.get(workflow_state=entry.current_workflow_state)
    approve = reverse(f"{ENTRY}:workflow_action", args=[entry.pk, "approve", task_state.pk])
    response = reviewer.post(approve, {"comment": ""}, follow=True)
    assert "transcription" in response.content.decode()
    entry.refresh_from_db()
    assert entry.live is False and entry.workflow_in_progress

    # Through the edit form's « approve » as well.
    response = reviewer.post(
        reverse(f"{ENTRY}:edit", args=[entry.pk]),
        entry_data(
            recording=spoken.pk,
            **{"action-workflow-action": "1", "workflow-action-name": "approve"},
        ),
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.live is False

    Recording.objects.filter(pk=spoken.pk).update(transcript="L'ostal.")
    response = reviewer.post(
        reverse(f"{ENTRY}:edit", args=[entry.pk]),
        entry_data(
            recording=spoken.pk,
            **{"action-workflow-action": "1", "workflow-action-name": "approve"},
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.live is True
