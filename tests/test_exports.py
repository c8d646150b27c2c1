"""Every spreadsheet export of the admin neutralises formulas (communes/exports.py).

The exports are found, not listed: every view of the URL resolver built on Wagtail's
SpreadsheetExportMixin, plus the form submissions (one view for every form page, reached
through the page). Hostile text is put where those exports read it; each export is
downloaded as the Pays staff download it and read with the csv module.
"""

import csv
import io
import re

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.forms.models import FormMixin, FormSubmission
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowTask, get_page_models

from communes.exports import FORMULA_TRIGGERS, restore_formula
from communes.models import Collectivite, ContactFormField, ContactPage
from communes.services.registry import import_registry_csv
from conftest import COMMUNE_A, COMMUNE_C, host_client
from newcomers.models import OfferAlertSubscription

HYPERLINK = '=HYPERLINK("http://evil","x")'
PAYLOADS = [HYPERLINK, "+1", "-1", "@SUM(1)", "\t=1", "\r=1"]
NUMBER = re.compile(r"-?\d+([.,]\d+)?")

# Exports whose every column is the product's own words or numbers, so that nothing a user
# writes can be put there, with the reason. None today (Wagtail's page types report and
# wagtail-localize's translations report export no column).
NOTHING_WRITTEN_BY_USERS: dict[str, str] = {}


def export_views():
    """The URL names of every export the resolver reaches without arguments."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                if inner and namespace:
                    inner = f"{namespace}:{inner}"
                yield from walk(pattern.url_patterns, inner or namespace)
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, SpreadsheetExportMixin):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if not pattern.pattern.regex.groups:
                    yield name

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def hostile_data(communes, pays):
    """A Pays administrator named `@SUM(1)`, and hostile text in what each export reads."""
    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "x", first_name="@SUM(1)"
    )
    home = communes[COMMUNE_A].home_page
    pages = list(Page.objects.child_of(home).specific().order_by("path")[:2])
    published, locked = pages
    published.title = HYPERLINK
    published.save_revision(user=admin).publish(user=admin)
    locked.title = "+1"
    locked.save_revision(user=admin).publish(user=admin)
    log(instance=locked, action="wagtail.edit", user=admin)
    task = GroupApprovalTask.objects.create(name="\t=1")
    workflow = Workflow.objects.create(name="@SUM(1)")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(locked, admin)
    Page.objects.filter(pk=locked.pk).update(locked=True, locked_by=admin, locked_at=timezone.now())

    Redirect.objects.create(old_path="/ancien", redirect_link=HYPERLINK)
    Collectivite.objects.filter(code=COMMUNE_C).update(name="-1", wikidata_id="\r=1")

    contact = ContactPage.objects.descendant_of(home).get()
    labels = [HYPERLINK] + [f"Champ {i}" for i in range(len(PAYLOADS))]
    fields = [
        ContactFormField.objects.create(page=contact, label=label, field_type="singleline")
        for label in labels
    ]
    answers = ["Bonjour", *PAYLOADS]
    FormSubmission.objects.create(
        page=contact,
        form_data={f.clean_name: text for f, text in zip(fields, answers, strict=True)},
    )
    # The connection log writes what a login form was sent, as it was typed.
    AccessLog.objects.create(username="@SUM(1)", ip_address="192.0.2.1", user_agent=HYPERLINK)
    AccessFailureLog.objects.create(
        username=HYPERLINK, ip_address="192.0.2.2", user_agent="\t=1", locked_out=False
    )
    # A candidate of the newcomers' form writes what they like in every text answer.
    from newcomers.models import Application

    candidate = Application.objects.create(
        language="fr",
        situation=HYPERLINK,
        project="+1",
        sector="agriculture",
        timeframe="1-an",
        name="@SUM(1)",
        email="candidat@example.org",
        phone="-1",
        offer_title="\t=1",
        partner_name="\r=1",
        partner_email="partenaire@example.org",
    )
    candidate.areas.add(Collectivite.objects.get(code=COMMUNE_C))  # named "-1" above
    # A visitor types their address for the offers' alert; "=" and "+" are valid in it.
    OfferAlertSubscription.objects.create(email="=1+x@example.org", language="fr")
    client = host_client(pays.hostname)
    client.force_login(admin)
    return client, contact


def download(client, url, export="csv"):
    response = client.get(url, {"export": export})
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body


def cells_of(body):
    return [
        cell for row in csv.reader(io.StringIO(body.decode("utf-8"), newline="")) for cell in row
    ]


def test_every_csv_export_of_the_admin_neutralises_formulas(hostile_data):
    client, contact = hostile_data
    urls = {name: reverse(name) for name in export_views()}
    # Form submissions: one export per form page, reached through the page, not the resolver.
    assert [m for m in get_page_models() if issubclass(m, FormMixin)] == [ContactPage]
    urls["wagtailforms:list_submissions"] = reverse(
        "wagtailforms:list_submissions", args=[contact.pk]
    )
    assert "wagtailsnippets_communes_collectivite:list" in urls  # ours
    assert "wagtailadmin_reports:site_history" in urls  # Wagtail's

    carrying = set()
    for name, url in urls.items():
        cells = cells_of(download(client, url))
        live = [c for c in cells if c.startswith(FORMULA_TRIGGERS) and not NUMBER.fullmatch(c)]
        assert not live, (name, live)
        if any(c.startswith("'") and restore_formula(c) != c for c in cells):
            carrying.add(name)
        elif cells:
            assert name in NOTHING_WRITTEN_BY_USERS or not _has_columns(cells), (
                f"{name} exports columns but no hostile text reached it: put some in the "
                "fixture, or say in NOTHING_WRITTEN_BY_USERS why nothing a user writes can."
            )

    for name in [
        "wagtailforms:list_submissions",
        "wagtailsnippets_communes_collectivite:list",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailredirects:index",
        "newcomers-applications:index",
    ]:
        assert name in carrying, name

    submissions = cells_of(download(client, urls["wagtailforms:list_submissions"]))
    for text in PAYLOADS:
        assert "'" + text in submissions, text
    assert "'" + HYPERLINK in submissions  # the field's label, as a heading


def _has_columns(cells):
    return any(cell.strip() for cell in cells)


def test_real_numbers_stay_numbers_and_text_that_looks_like_one_does_not(hostile_data):
    client, _contact = hostile_data
    Collectivite.objects.filter(code=COMMUNE_C).update(longitude=-0.25)
    body = download(client, reverse("wagtailsnippets_communes_collectivite:list"))
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    (row,) = [r for r in rows if r["code"] == COMMUNE_C]
    assert row["longitude"] == "-0.25"  # a float: a number in the spreadsheet
    assert row["nom"] == "'-1"  # text


def test_the_registry_export_still_imports_back_unchanged(hostile_data):
    client, _contact = hostile_data
    before = Collectivite.objects.get(code=COMMUNE_C)
    body = download(client, reverse("wagtailsnippets_communes_collectivite:list"))
    import_registry_csv(body)
    after = Collectivite.objects.get(code=COMMUNE_C)
    assert (after.name, after.wikidata_id) == (before.name, before.wikidata_id) == ("-1", "\r=1")


def test_xlsx_exports_hold_no_formula_either(hostile_data):
    client, contact = hostile_data
    url = reverse("wagtailforms:list_submissions", args=[contact.pk])
    workbook = load_workbook(io.BytesIO(download(client, url, "xlsx")))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert any(HYPERLINK in str(c.value) for c in cells)
