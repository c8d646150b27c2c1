"""The communes without a photo: listed for the Pays team (never a secretary), exported as
CSV without formulas, and the sync started from there."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.exports import restore_formula
from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, host_client, member
from photos.models import CommunePhotoStatus
from photos.report import missing_photos

Outcome = CommunePhotoStatus.Outcome


@pytest.fixture
def statuses(communes):
    def status(code, outcome, **fields):
        return CommunePhotoStatus.objects.create(
            collectivite=communes[code], outcome=outcome, synced_at=timezone.now(), **fields
        )

    return [
        status(COMMUNE_A, Outcome.CREATED, photo_file="Bergerac.jpg", wikidata_id="Q1"),
        status(COMMUNE_B, Outcome.MISSING, wikidata_id="Q2", reason="=HYPERLINK(1)"),
        status(COMMUNE_C, Outcome.MISSING, arms_file="Blason Eymet.svg", wikidata_id="Q3"),
    ]


@pytest.fixture
def staff_client(pays):
    client = host_client("pays.test")
    client.force_login(member("equipe-rapport", pays, "equipe"))
    return client


def test_the_report_lists_no_photo_and_arms_only_and_never_synced(statuses):
    rows = {row.code: row for row in missing_photos()}
    assert COMMUNE_A not in rows
    assert rows[COMMUNE_B].category == "none"
    assert rows[COMMUNE_C].category == "arms"
    assert rows[COMMUNE_C].category_label == "seulement un blason"
    never = Collectivite.objects.filter(kind="commune", photo_status=None).first()
    assert rows[never.code].category == "never"
    skipped = statuses[0]
    skipped.outcome, skipped.photo_file = Outcome.SKIPPED, ""
    skipped.save()
    assert COMMUNE_A not in {row.code for row in missing_photos()}


def test_the_pays_team_reads_and_exports_it_a_secretary_gets_403(statuses, staff_client):
    url = reverse("photos_missing")
    page = staff_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lalinde" in html and "Eymet" in html and "seulement un blason" in html
    assert "Lancer la synchronisation des photos" in html
    export = staff_client.get(url, {"export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Commune", "Code INSEE", "Situation"]
    lalinde = next(row for row in rows if row[1] == COMMUNE_B)
    assert lalinde[4] == "'=HYPERLINK(1)"
    assert restore_formula(lalinde[4]) == "=HYPERLINK(1)"
    secretary = host_client("pays.test")
    secretary.force_login(member("sec-rapport", statuses[0].collectivite, "secretariat"))
    for forbidden in (url, reverse("photos_missing_results")):
        assert secretary.get(forbidden).status_code == 403
    assert secretary.post(reverse("photos_sync_start")).status_code == 403


def test_the_sync_button_enqueues_the_task(statuses, staff_client, monkeypatch):
    from photos import tasks

    calls = []

    class Task:  # the sync itself is the sync's tests' business: only what is asked here
        @staticmethod
        def enqueue(*args):
            calls.append(args)

    monkeypatch.setattr(tasks, "sync_commune_photos_task", Task)
    response = staff_client.post(
        reverse("photos_sync_start"), {"codes": f"{COMMUNE_B}, {COMMUNE_C}", "force": "on"}
    )
    assert response.status_code == 302
    assert calls == [([COMMUNE_B, COMMUNE_C], True)]
    staff_client.post(reverse("photos_sync_start"), {"codes": ""})
    assert calls[-1] == ([], False)
