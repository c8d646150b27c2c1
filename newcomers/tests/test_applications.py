"""The « Candidater » form: routed by sector, stored, confirmed in the visitor's language,
guarded against robots, exported safely, purged, and the Pays team's alone in the admin."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from communes.exports import restore_formula
from communes.models import Collectivite
from conftest import COMMUNE_A, host_client, member
from newcomers.applications.demo import create_demo_applications
from newcomers.applications.forms import live_offer
from newcomers.applications.retention import purge_applications
from newcomers.models import Application, ApplicationPage, Partner

HYPERLINK = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def form_page(pays):
    page = pays.home_page.specific.add_child(
        instance=ApplicationPage(title="Candidater", slug="candidater")
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def chambers(db):
    return {
        "agriculture": Partner.objects.create(
            name="Chambre d'agriculture", email="agri@example.org", sectors=["agriculture"]
        ),
        "artisanat": Partner.objects.create(
            name="Chambre de métiers", email="cma@example.org", sectors=["artisanat"]
        ),
        "cci": Partner.objects.create(
            name="CCI", email="cci@example.org", sectors=["commerce", "services", "tourisme"]
        ),
        "sante": Partner.objects.create(
            name="Réseau santé", email="sante@example.org", sectors=["sante"]
        ),
    }


def answers(**overrides):
    epci = Collectivite.objects.filter(kind="epci").order_by("name").first()
    data = {
        "situation": "Salariée dans une coopérative laitière",
        "project": "Reprendre une ferme de noix et de fraises",
        "sector": "agriculture",
        "timeframe": "1-an",
        "areas": [epci.pk],
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "phone": "",
        "consentement": "on",
        "site_web": "",
    }
    data.update(overrides)
    return data


def client_for(pays, address="198.51.100.4"):
    return host_client(pays.hostname, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "sector, partner",
    [
        ("agriculture", "agriculture"),
        ("artisanat", "artisanat"),
        ("commerce", "cci"),
        ("services", "cci"),
        ("tourisme", "cci"),  # the offers' sectors are the form's: a hotel can be applied for
        ("sante", "sante"),
    ],
)
def test_an_application_is_routed_to_the_partner_of_its_sector(
    pays, form_page, chambers, sector, partner
):
    response = client_for(pays).post("/candidater/", answers(sector=sector))
    assert response.status_code == 200, response.content.decode()
    assert "Candidature envoyée" in response.content.decode()
    application = Application.objects.get()
    expected = chambers[partner]
    assert application.partner == expected
    assert (application.partner_name, application.partner_email) == (expected.name, expected.email)
    assert application.status == Application.Status.SENT and not application.routed_to_pays
    to_partner = mail.outbox[0]
    assert to_partner.to == [expected.email] and to_partner.reply_to == ["ada@example.org"]
    assert "Reprendre une ferme de noix" in to_partner.body
    assert mail.outbox[1].to == ["ada@example.org"]


def test_a_sector_without_partner_goes_to_the_pays_and_says_so(pays, form_page, chambers, settings):
    settings.NEWCOMERS_PAYS_EMAIL = "installez-vous@pays.example.org"
    chambers["sante"].active = False
    chambers["sante"].save()
    client_for(pays).post("/candidater/", answers(sector="sante"))
    client_for(pays, "198.51.100.5").post("/candidater/", answers(sector="autre"))
    for application in Application.objects.all():
        assert application.routed_to_pays and application.partner is None
        assert application.partner_email == "installez-vous@pays.example.org"
    to_pays = [m for m in mail.outbox if m.to == ["installez-vous@pays.example.org"]]
    assert len(to_pays) == 2
    assert "Aucun partenaire actif ne suit ce secteur" in to_pays[0].body


def test_a_removed_partner_leaves_its_past_applications_whole(pays, form_page, chambers):
    client_for(pays).post("/candidater/", answers())
    chambers["agriculture"].delete()
    application = Application.objects.get()
    assert application.partner is None
    assert application.partner_name == "Chambre d'agriculture"
    assert application.partner_email == "agri@example.org"
    assert not application.routed_to_pays  # it was routed to the chamber, and says to whom


def test_an_english_farm_application_reaches_the_chamber_and_is_confirmed_in_english(
    pays, form_page, chambers
):
    page = client_for(pays).get("/en/candidater/").content.decode()
    assert ">Phone<" in page and ">Email *<" in page  # the form speaks English
    response = client_for(pays).post("/en/candidater/", answers(sector="agriculture"))
    assert response.status_code == 200
    application = Application.objects.get()
    assert application.language == "en"
    to_chamber, confirmation = mail.outbox
    assert to_chamber.to == ["agri@example.org"]
    assert to_chamber.reply_to == ["ada@example.org"]
    assert "Langue du candidat : Anglais" in to_chamber.body  # the chamber reads French
    assert confirmation.to == ["ada@example.org"]
    assert "Email: ada@example.org" in confirmation.body
    assert "Courriel" not in confirmation.body
    assert "Chambre d'agriculture" in confirmation.body


def test_occitan_visitors_get_the_french_confirmation(pays, form_page, chambers):
    client_for(pays).post("/oc/candidater/", answers(email="oc@example.org"))
    confirmation = mail.outbox[-1]
    assert confirmation.subject == (
        "Votre candidature « Installez-vous en Bergeracois » est bien reçue"
    )
    assert "Courriel : oc@example.org" in confirmation.body
    assert Application.objects.get(email="oc@example.org").language == "oc"


def test_consent_is_required_and_states_the_retention_period(pays, form_page, chambers):
    client = client_for(pays)
    page = client.get("/candidater/").content.decode()
    assert "conservées 2 ans" in page
    response = client.post("/candidater/", answers(consentement=""))
    assert response.status_code == 400
    assert "Cochez cette case pour envoyer votre candidature." in response.content.decode()
    assert not Application.objects.exists() and not mail.outbox


def test_missing_answers_are_named_and_nothing_is_kept(pays, form_page, chambers):
    response = client_for(pays).post("/candidater/", answers(project="", email="pas-un-courriel"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "La candidature n'a pas été envoyée" in body
    assert 'href="#id_project"' in body and 'href="#id_email"' in body
    assert not Application.objects.exists()


def test_robots_are_thanked_and_ignored_and_rate_is_limited(pays, form_page, chambers):
    client = client_for(pays)
    response = client.post("/candidater/", answers(site_web="http://spam.example"))
    assert response.status_code == 200
    assert not Application.objects.exists() and not mail.outbox
    for _ in range(5):
        assert client.post("/candidater/", answers()).status_code == 200
    response = client.post("/candidater/", answers())
    assert response.status_code == 429
    assert "Trop de candidatures envoyées d&#x27;ici" in response.content.decode()
    assert Application.objects.count() == 5
    assert client_for(pays, "198.51.100.99").post("/candidater/", answers()).status_code == 200


def test_the_offer_is_kept_only_when_it_is_a_live_takeover_offer(pays, form_page, chambers):
    portal_home = pays.home_page
    # Not an offer page: the parameter is dropped, the application still goes through.
    response = client_for(pays).get(f"/candidater/?offre={portal_home.pk}")
    assert f'value="{portal_home.pk}"' in response.content.decode()
    client_for(pays).post("/candidater/", answers(offer=str(portal_home.pk)))
    assert Application.objects.get().offer is None
    assert live_offer("pas un nombre") is None
    assert live_offer(portal_home.pk) is None


def test_the_form_page_costs_at_most_ten_queries(pays, form_page, django_assert_max_num_queries):
    client = client_for(pays)
    assert client.get("/candidater/").status_code == 200
    assert client.get("/candidater/").status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get("/candidater/")
    assert response.status_code == 200
    assert "Bergerac" in response.content.decode()  # the communes to choose from


def test_applications_are_purged_after_the_retention_period(pays, form_page, chambers, settings):
    settings.NEWCOMERS_APPLICATION_RETENTION_DAYS = 730
    client_for(pays).post("/candidater/", answers())
    client_for(pays, "198.51.100.6").post("/candidater/", answers(name="Récente"))
    old = Application.objects.get(name="Ada Lovelace")
    Application.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=731))

    dry = purge_applications(dry_run=True)
    assert dry.deleted == 1 and Application.objects.count() == 2
    report = purge_applications()
    assert report.deleted == 1
    assert list(Application.objects.values_list("name", flat=True)) == ["Récente"]


def test_the_pays_team_lists_exports_and_updates_applications(pays, form_page, chambers):
    client_for(pays).post(
        "/candidater/", answers(name=HYPERLINK, project="+33 6 00 00 00 00", phone="-1")
    )
    application = Application.objects.get()
    staff = member("equipe", pays, "equipe")
    admin = host_client(pays.hostname)
    admin.force_login(staff)
    listing = admin.get(reverse("newcomers-applications:index"))
    assert listing.status_code == 200
    response = admin.get(reverse("newcomers-applications:index"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    (row,) = rows
    cells = list(row.values())
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@")) and c != "'"]
    assert "'" + HYPERLINK in cells and restore_formula("'" + HYPERLINK) == HYPERLINK
    assert "'+33 6 00 00 00 00" in cells and "'-1" in cells
    edit = reverse("newcomers-applications:edit", args=[application.pk])
    assert admin.post(edit, {"status": "en_cours"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.IN_PROGRESS
    assert (
        admin.get(reverse("newcomers-applications:inspect", args=[application.pk])).status_code
        == 200
    )
    assert admin.get(reverse("newcomers-applications:add")).status_code in (302, 403)


def test_a_secretary_sees_neither_applications_nor_partners(communes, pays, form_page, chambers):
    client_for(pays).post("/candidater/", answers(name="Candidate secrète"))
    application = Application.objects.get()
    secretary = member("sec", communes[COMMUNE_A], "secretariat")
    admin = host_client(pays.hostname)
    admin.force_login(secretary)
    urls = [
        reverse("newcomers-applications:index"),
        reverse("newcomers-applications:index") + "?export=csv",
        reverse("newcomers-applications:edit", args=[application.pk]),
        reverse("newcomers-applications:inspect", args=[application.pk]),
        reverse("newcomers-applications:delete", args=[application.pk]),
        reverse("newcomers-partners:index"),
        reverse("newcomers-partners:add"),
        reverse("newcomers-partners:edit", args=[chambers["cci"].pk]),
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(admin, method)(url)
            assert response.status_code in (302, 403), (method, url, response.status_code)
            assert "Candidate secrète" not in response.content.decode(errors="replace")
    home = admin.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("newcomers-applications:index") not in home
    assert Application.objects.get().status == Application.Status.SENT


def test_one_active_partner_per_sector_in_the_routing_table(pays, chambers):
    from newcomers.applications.admin_forms import PartnerForm

    form = PartnerForm(
        data={
            "name": "Autre CCI",
            "email": "x@example.org",
            "sectors": ["commerce"],
            "active": "on",
        }
    )
    assert not form.is_valid()
    assert "déjà suivi par CCI" in str(form.errors["sectors"])
    inactive = PartnerForm(
        data={"name": "Autre CCI", "email": "x@example.org", "sectors": ["commerce"]}
    )
    assert inactive.is_valid(), inactive.errors


def test_the_demo_seeds_the_four_fictional_partners_and_the_form(pays):
    report = create_demo_applications()
    assert report.partners_created == 4 and report.page_created
    partners = Partner.objects.order_by("name")
    for partner in partners:  # fictional, and labelled so
        assert partner.email.endswith("@example.org")
        assert "(fictif)" in partner.name or "(fictive)" in partner.name
    assert Page.objects.type(ApplicationPage).live().count() == 1
    again = create_demo_applications()
    assert again.partners_created == 0 and not again.page_created
    response = client_for(pays).post("/candidater/", answers(sector="artisanat"))
    assert response.status_code == 200
    assert mail.outbox[0].to == ["artisanat@example.org"]


def test_a_name_on_several_lines_adds_no_header_to_the_emails(pays, form_page, chambers):
    client_for(pays).post("/candidater/", answers(name="Jo\r\nBcc: x@evil.example"))
    application = Application.objects.get()
    assert application.name == "Jo Bcc: x@evil.example"
    to_partner = mail.outbox[0]
    assert to_partner.recipients() == ["agri@example.org"]
    assert "\n" not in to_partner.subject and "\r" not in to_partner.subject
    assert to_partner.message().get_all("Bcc") is None


def test_the_portal_personal_data_page_states_how_long_applications_are_kept(
    communes, pays, form_page, settings
):
    portal = client_for(pays)
    html = portal.get("/donnees-personnelles/").content.decode()
    assert "Le Pays en garde une copie 2 ans après leur envoi" in html
    settings.NEWCOMERS_APPLICATION_RETENTION_DAYS = 90
    assert "une copie 90 jours après" in portal.get("/donnees-personnelles/").content.decode()
    commune = host_client(communes[COMMUNE_A].hostname).get("/donnees-personnelles/")
    assert "Candidatures « Installez-vous »" not in commune.content.decode()


def test_the_scheduler_runs_the_purge_of_applications():
    from communes.tests.test_retention import ENTRYPOINT

    scheduler = ENTRYPOINT.read_text().split("  scheduler)", 1)[1].split(";;", 1)[0]
    assert "python manage.py purge_applications" in scheduler


def test_no_form_no_word_about_applications_on_the_personal_data_page(pays):
    html = client_for(pays).get("/donnees-personnelles/").content.decode()
    assert "Conservation des messages" in html and "Candidatures « Installez-vous »" not in html


def test_a_live_offer_is_kept_and_named_an_unpublished_one_is_dropped(
    pays, form_page, chambers, monkeypatch
):
    """With the offers' page type standing in (the guide's OfferPage, looked up by name)."""
    from communes.models import StandardPage
    from newcomers.applications import forms

    monkeypatch.setattr(forms, "OFFER_MODEL", ("communes", "StandardPage"))
    home = pays.home_page.specific
    offer = home.add_child(instance=StandardPage(title="Boulangerie à reprendre", slug="pain"))
    offer.save_revision().publish()
    draft = home.add_child(instance=StandardPage(title="Pas encore", slug="brouillon", live=False))
    client = client_for(pays)
    assert (
        "Boulangerie à reprendre" in client.get(f"/candidater/?offre={offer.pk}").content.decode()
    )
    assert "Pas encore" not in client.get(f"/candidater/?offre={draft.pk}").content.decode()
    client.post("/candidater/", answers(offer=str(offer.pk), sector="commerce"))
    client.post("/candidater/", answers(offer=str(draft.pk), email="b@example.org"))
    kept = Application.objects.get(email="ada@example.org")
    assert (kept.offer_id, kept.offer_title) == (offer.pk, "Boulangerie à reprendre")
    assert "Offre de reprise : Boulangerie à reprendre" in mail.outbox[0].body
    dropped = Application.objects.get(email="b@example.org")
    assert (dropped.offer, dropped.offer_title) == (None, "")


def test_the_form_page_may_be_added_to_the_portal_only():
    from communes.models import CollectiviteHomePage, PortalHomePage

    assert ApplicationPage in PortalHomePage.allowed_subpage_models()
    assert ApplicationPage not in CollectiviteHomePage.allowed_subpage_models()


def test_the_communes_wait_behind_the_epci_until_asked_for(pays, form_page):
    html = client_for(pays).get("/candidater/").content.decode()
    epci, communes_part = html.split("<summary>Choisir des communes</summary>")
    assert "(communauté de communes)" in epci
    assert ">Bergerac<" in communes_part and "(communauté de communes)" not in communes_part


def test_applications_and_partners_are_out_of_a_secretarys_reach(communes, pays, chambers):
    from communes import reach
    from communes.tenancy import tenancy_for

    secretary = tenancy_for(member("sec", communes[COMMUNE_A], "secretariat"))
    staff = tenancy_for(member("equipe", pays, "equipe"))
    cci = chambers["cci"]
    assert not reach.in_reach(secretary, cci) and reach.in_reach(staff, cci)
    assert not reach.narrow(secretary, Partner.objects.all()).exists()
    assert reach.narrow(staff, Partner.objects.all()).count() == 4


def test_the_commands_seed_and_purge(pays):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_applications", stdout=out)
    assert out.getvalue().startswith("candidatures : 4 partenaires créés, page créée")
    out = StringIO()
    call_command("purge_applications", "--dry-run", stdout=out)
    assert out.getvalue().startswith("0 candidatures antérieures au ")
    assert "à supprimer" in out.getvalue()


JUNK = ["", "\x00", "a\x00b", "x" * 10_000, "%ff", "éà🦆", '"><script>', "9" * 5000, "-1"]
JUNK += ["99999999999999999999", "\r\nBcc: x@evil.example"]


def test_junk_in_any_field_is_a_400_or_a_clean_application_never_a_500(pays, form_page, chambers):
    client = client_for(pays)
    for value in JUNK:
        response = client.get("/candidater/", {"offre": value})
        assert response.status_code == 200, (value[:20], response.status_code)
    fields = [*answers(), "offer"]
    for i, name in enumerate(fields):
        for j, value in enumerate(JUNK):
            # One address each: the rate limit is not what this test is about.
            address = f"198.51.{i}.{j}"
            response = client.post("/candidater/", answers(**{name: value}), REMOTE_ADDR=address)
            assert response.status_code in (200, 400), (name, value[:20], response.status_code)
    for application in Application.objects.all():
        assert "\x00" not in application.name + application.project + application.situation
    response = client.generic(
        "POST", "/candidater/", b"\xff\xfe\x00=%ff", "application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 429)


def test_the_english_translation_of_the_form_routes_and_confirms_the_same(
    pays, form_page, chambers
):
    from wagtail.models import Locale

    english, _created = Locale.objects.get_or_create(language_code="en")
    translation = form_page.copy_for_translation(english, copy_parents=True)
    translation.title, translation.slug = "Apply", "apply"
    translation.save_revision().publish()
    response = client_for(pays).post("/en/apply/", answers(sector="agriculture"))
    assert response.status_code == 200
    application = Application.objects.get()
    assert (application.page_id, application.language) == (translation.pk, "en")
    assert mail.outbox[0].to == ["agri@example.org"]
    assert "Email: ada@example.org" in mail.outbox[1].body


def test_an_offer_links_to_the_form_with_itself_prefilled(pays, form_page):
    from wagtail.models import Locale

    offer = pays.home_page.specific  # any page stands in for an offer here
    link = ApplicationPage.link_for_offer(offer)
    assert link == f"http://{pays.hostname}/candidater/?offre={offer.pk}"
    english, _created = Locale.objects.get_or_create(language_code="en")
    translation = form_page.copy_for_translation(english, copy_parents=True)
    translation.slug = "apply"
    translation.save_revision().publish()
    english_home = Page.objects.get(pk=translation.get_parent().pk)
    link = ApplicationPage.link_for_offer(english_home)
    assert link == f"http://{pays.hostname}/en/apply/?offre={english_home.pk}"
