"""Contact messages are erased after the retention period, and the personal-data pages say
how long they are kept."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from communes.models import ContactPage
from communes.services.retention import months_before, purge_form_submissions
from conftest import COMMUNE_A, COMMUNE_B, host_client

ENTRYPOINT = Path(__file__).resolve().parents[2] / "bin" / "docker-entrypoint.sh"


def message(collectivite, sent, text):
    page = ContactPage.objects.child_of(collectivite.home_page).get()
    submission = FormSubmission.objects.create(page=page, form_data={"votre_message": text})
    FormSubmission.objects.filter(pk=submission.pk).update(submit_time=sent)
    return submission


def kept():
    return set(FormSubmission.objects.values_list("form_data__votre_message", flat=True))


@pytest.mark.django_db
def test_messages_older_than_the_period_are_erased_and_a_dry_run_changes_nothing(
    communes, settings
):
    now = timezone.now()
    bergerac, lalinde = communes[COMMUNE_A], communes[COMMUNE_B]
    message(bergerac, months_before(now, 13), "ancien")
    message(lalinde, months_before(now, 12) - datetime.timedelta(hours=1), "juste trop vieux")
    message(bergerac, months_before(now, 12) + datetime.timedelta(hours=1), "juste à temps")
    message(lalinde, now - datetime.timedelta(days=3), "récent")
    everything = {"ancien", "juste trop vieux", "juste à temps", "récent"}

    out = io.StringIO()
    call_command("purge_form_submissions", "--dry-run", stdout=out)
    assert out.getvalue().startswith("[dry-run] 2 messages de formulaire antérieurs au ")
    assert kept() == everything

    out = io.StringIO()
    call_command("purge_form_submissions", stdout=out)
    assert out.getvalue().startswith("2 messages de formulaire antérieurs au ")
    assert kept() == {"juste à temps", "récent"}

    # A shorter period set later applies to what is already stored.
    settings.FORM_SUBMISSION_RETENTION_MONTHS = 1
    report = purge_form_submissions(now=now)
    assert report.deleted == 1
    assert report.cutoff == months_before(now, 1)
    assert kept() == {"récent"}


@pytest.mark.django_db
def test_the_personal_data_page_states_the_period_from_the_setting(communes, settings):
    client = host_client(communes[COMMUNE_A].hostname)
    portal = host_client("pays.test")
    for site in (client, portal):
        html = site.get("/donnees-personnelles/").content.decode()
        assert "sont conservés 12 mois après leur envoi, puis effacés automatiquement" in html
    assert "conservés" not in client.get("/mentions-legales/").content.decode()

    settings.FORM_SUBMISSION_RETENTION_MONTHS = 6
    html = client.get("/donnees-personnelles/").content.decode()
    assert "sont conservés 6 mois après leur envoi" in html


def test_the_scheduler_runs_the_purge():
    scheduler = ENTRYPOINT.read_text().split("  scheduler)", 1)[1].split(";;", 1)[0]
    assert "python manage.py purge_form_submissions" in scheduler


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        ("2026-12-03T10:00", 12, "2025-12-03T10:00"),
        ("2026-05-31T10:00", 3, "2026-02-28T10:00"),
        ("2028-05-31T10:00", 3, "2028-02-29T10:00"),
        ("2026-01-15T00:30", 1, "2025-12-15T00:30"),
        ("2026-03-31T23:59", 25, "2024-02-29T23:59"),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    tz = datetime.UTC
    start = datetime.datetime.fromisoformat(moment).replace(tzinfo=tz)
    assert months_before(start, months) == datetime.datetime.fromisoformat(expected).replace(
        tzinfo=tz
    )
