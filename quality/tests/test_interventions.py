"""« Interventions du Pays »: what counts as one, the month, the 365 indicator, the CSV."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from communes.models import Banner, Collectivite
from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from quality.services.interventions import add_months, interventions_report
from sitefactory.models import ProvisionedPage

NOW = timezone.now()
THIS_MONTH = timezone.localdate().replace(day=1)


def page(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def logged(instance, action, user, when=NOW, uuid_=None):
    model = PageLogEntry if hasattr(instance, "path") else ModelLogEntry
    entry = model.objects.log_action(instance, action, user=user, uuid=uuid_)
    model.objects.filter(pk=entry.pk).update(timestamp=when)
    return entry


@pytest.fixture
def bergerac(communes):
    return Collectivite.objects.get(code=COMMUNE_A)


@pytest.fixture
def lalinde(communes):
    return Collectivite.objects.get(code=COMMUNE_B)


@pytest.fixture
def staff(pays):
    user = member("equipe-int", pays, "equipe")
    user.first_name, user.last_name = "Anne", "Lacoste"
    user.save()
    return user


def row_of(report, collectivite):
    return next((row for row in report.rows if row.collectivite.pk == collectivite.pk), None)


def test_a_pays_edit_counts_and_two_actions_the_same_day_on_one_commune_count_once(
    bergerac, lalinde, staff
):
    logged(page(bergerac, "mairie"), "wagtail.edit", staff)
    logged(page(bergerac, "actualites"), "wagtail.publish", staff)
    logged(page(lalinde, "mairie"), "wagtail.edit", staff)
    report = interventions_report(THIS_MONTH)
    assert row_of(report, bergerac).count == 1
    assert row_of(report, bergerac).people_display == "Anne Lacoste"
    assert sum(row_of(report, bergerac).kinds.values()) == 2
    assert row_of(report, lalinde).count == 1
    assert report.total == 2


def test_moderation_and_the_publication_of_an_approval_are_not_interventions(bergerac, staff):
    mairie = page(bergerac, "mairie")
    same_request = uuid.uuid4()
    logged(mairie, "wagtail.workflow.approve", staff, uuid_=same_request)
    logged(mairie, "wagtail.publish", staff, uuid_=same_request)
    logged(mairie, "wagtail.workflow.reject", staff)
    assert row_of(interventions_report(THIS_MONTH), bergerac) is None


def test_a_secretarys_own_edits_are_not_interventions(bergerac):
    secretary = member("sec-int", bergerac, "secretariat")
    logged(page(bergerac, "mairie"), "wagtail.edit", secretary)
    assert row_of(interventions_report(THIS_MONTH), bergerac) is None


def test_accounts_actions_and_snippets_are_placed_in_their_collectivite(bergerac, lalinde, staff):
    log(instance=bergerac, action="bastide.accounts.suspend", user=staff, data={"username": "x"})
    banner = Banner.objects.create(title="Travaux", site_id=lalinde.site_id, start=NOW, end=NOW)
    logged(banner, "wagtail.create", staff)
    report = interventions_report(THIS_MONTH)
    assert row_of(report, bergerac).count == 1
    assert row_of(report, lalinde).count == 1


def test_the_month_filter_and_the_twelve_month_indicator(bergerac, staff):
    last_month = timezone.make_aware(
        datetime.datetime.combine(add_months(THIS_MONTH, -1), datetime.time(12))
    )
    logged(page(bergerac, "mairie"), "wagtail.edit", staff, when=last_month)
    logged(page(bergerac, "mairie"), "wagtail.edit", staff)
    report = interventions_report(THIS_MONTH)
    assert report.total == 1
    assert report.rolling_total == 2
    assert interventions_report(add_months(THIS_MONTH, -1)).total == 1
    too_old = interventions_report(add_months(THIS_MONTH, -13))
    assert too_old.total == 0


def test_the_page_shows_the_indicator_and_the_csv_lists_the_month(bergerac, staff):
    logged(page(bergerac, "mairie"), "wagtail.edit", staff)
    client = host_client("pays.test")
    client.force_login(staff)
    html = client.get(reverse("quality_interventions")).content.decode()
    assert "Indicateur 365" in html
    assert "1 intervention sur 12 mois, objectif : moins de 365" in html
    assert "Bergerac" in html
    previous = add_months(THIS_MONTH, -1)
    response = client.get(reverse("quality_interventions"), {"month": f"{previous:%Y-%m}"})
    assert "Aucune intervention ce mois-ci." in response.content.decode()
    csv = client.get(reverse("quality_interventions_csv")).content.decode()
    assert csv.splitlines()[0] == "collectivite,code,interventions,actions,intervenants"
    assert f"Bergerac,{COMMUNE_A},1," in csv
    assert "total,,1" in csv


def test_a_secretary_may_not_read_the_interventions(bergerac):
    client = host_client("pays.test")
    client.force_login(member("sec-int", bergerac, "secretariat"))
    assert client.get(reverse("quality_interventions")).status_code == 403
    assert client.get(reverse("quality_interventions_csv")).status_code == 403
