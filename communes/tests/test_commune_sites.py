"""A commune site as its visitors and its secretary use it."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from communes.models import (
    Banner,
    Collectivite,
    EventPage,
    HoursException,
    NewsPage,
    OpeningHours,
    SiteImage,
    StandardPage,
)
from communes.services.hours import opening_status
from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from sitefactory.models import ProvisionedPage
from sitefactory.services.demo_files import landscape_jpeg


def page(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


@pytest.fixture
def bergerac(communes):
    c = communes[COMMUNE_A]
    c.refresh_from_db()
    return c


@pytest.fixture
def lalinde(communes):
    c = communes[COMMUNE_B]
    c.refresh_from_db()
    return c


# -- Editorial workflow ------------------------------------------------------------------------


def submit(client, news):
    url = reverse("wagtailadmin_pages:edit", args=[news.pk])
    response = client.get(url)
    form = response.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": "Fête de la musique",
            "slug": news.slug,
            "date": "2026-06-21",
            "intro": '{"blocks":[{"key":"a","type":"unstyled","text":"Concert sur la place",'
            '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "body-count": "0",
            "action-submit": "Submit",
        }
    )
    return client.post(url, data)


def test_secretary_submits_pays_approves_page_goes_live(bergerac):
    secretary = member("sec-bergerac", bergerac, "secretariat")
    pays_user = member("equipe", Collectivite.objects.get(code="PAYS"), "equipe")
    news_index = page(bergerac, "actualites")
    news = news_index.add_child(instance=NewsPage(title="Brouillon", slug="fete", live=False))

    secretary_client = host_client("pays.test")
    secretary_client.force_login(secretary)
    # No publish button for a secretary: publishing directly is refused.
    edit = secretary_client.get(reverse("wagtailadmin_pages:edit", args=[news.pk]))
    assert b"action-publish" not in edit.content
    response = submit(secretary_client, news)
    assert response.status_code == 302
    news.refresh_from_db()
    assert not news.live
    state = news.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.workflow.name == "Bergerac — Validation"
    assert pays_user.email in [m for message in mail.outbox for m in message.to]

    visitor = host_client(bergerac.hostname)
    assert visitor.get("/actualites/fete/").status_code == 404

    pays_client = host_client("pays.test")
    pays_client.force_login(pays_user)
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[news.pk, "approve", task_state.pk])
    assert pays_client.post(url, {"comment": ""}).status_code in (200, 302)
    news.refresh_from_db()
    assert news.live
    response = visitor.get("/actualites/fete/")
    assert response.status_code == 200
    assert "Concert sur la place" in response.content.decode()


def test_rejection_returns_the_page_to_its_author_with_the_comment_by_email(bergerac):
    secretary = member("sec-bergerac", bergerac, "secretariat", email="secretaire@bergerac.test")
    pays_user = member("equipe", Collectivite.objects.get(code="PAYS"), "equipe")
    news = page(bergerac, "actualites").add_child(
        instance=NewsPage(title="Brouillon", slug="fete", live=False)
    )
    client = host_client("pays.test")
    client.force_login(secretary)
    submit(client, news)
    news.refresh_from_db()
    mail.outbox.clear()

    pays_client = host_client("pays.test")
    pays_client.force_login(pays_user)
    task_state = news.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[news.pk, "reject", task_state.pk])
    pays_client.post(url, {"comment": "Merci d'ajouter l'heure du concert."})

    news.refresh_from_db()
    assert not news.live
    assert news.current_workflow_state.status == "needs_changes"
    to_author = [m for m in mail.outbox if "secretaire@bergerac.test" in m.to]
    assert to_author, [m.to for m in mail.outbox]
    assert "Merci d'ajouter l'heure du concert." in to_author[0].body


def test_elus_can_be_made_the_approvers(bergerac):
    bergerac.approval_by_elus = True
    bergerac.save()
    from sitefactory.services.provisioning import provision

    provision(Collectivite.objects.filter(pk=bergerac.pk))
    bergerac.refresh_from_db()
    task = bergerac.workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Bergerac — Élus"]


def test_secretary_cannot_delete_a_published_page_nor_move_it_out(bergerac, lalinde):
    secretary = member("sec-bergerac", bergerac, "secretariat")
    client = host_client("pays.test")
    client.force_login(secretary)
    mairie = page(bergerac, "mairie")
    assert client.post(reverse("wagtailadmin_pages:delete", args=[mairie.pk])).status_code in (
        302,
        403,
    )
    mairie.refresh_from_db()
    assert mairie.live
    target = page(lalinde, "actualites")
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[mairie.pk, target.pk]))
    mairie.refresh_from_db()
    assert mairie.get_parent().pk == bergerac.home_page_id


def test_every_change_keeps_its_revision_and_revert_restores(bergerac):
    demarches = page(bergerac, "demarches")
    provisioned, original = demarches.latest_revision, demarches.intro
    assert provisioned is not None  # the site factory's own revision
    demarches.intro = "<p>Nouveau texte</p>"
    demarches.save_revision().publish()
    provisioned.as_object().save_revision().publish()
    demarches.refresh_from_db()
    assert demarches.intro == original
    assert demarches.revisions.count() == 3


# -- Banners -----------------------------------------------------------------------------------


def test_banners_show_on_every_page_of_their_site_until_they_expire(bergerac, lalinde):
    now = timezone.now()
    Banner.objects.create(
        title="Vente de terrains à bâtir",
        site_id=bergerac.site_id,
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=1),
        live=True,
    )
    Banner.objects.create(
        title="Ancien bandeau",
        site_id=bergerac.site_id,
        start=now - datetime.timedelta(days=3),
        end=now - datetime.timedelta(minutes=1),
        live=True,
    )
    Banner.objects.create(
        title="Pas encore",
        site_id=bergerac.site_id,
        start=now + datetime.timedelta(hours=2),
        end=now + datetime.timedelta(days=1),
        live=True,
    )
    Banner.objects.create(
        title="Alerte orages",
        level="urgent",
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=1),
        live=True,
    )
    Banner.objects.create(
        title="Travaux sur la D660",
        epci_id=lalinde.epci_id,
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=1),
        live=True,
    )
    Banner.objects.create(
        title="Brouillon de bandeau",
        site_id=bergerac.site_id,
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=1),
        live=False,
    )
    for path in ("/", "/mairie/", "/demarches/acte-de-naissance/"):
        html = host_client(bergerac.hostname).get(path).content.decode()
        assert "Vente de terrains à bâtir" in html and "Alerte orages" in html
        assert "Ancien bandeau" not in html and "Pas encore" not in html
        assert "Brouillon de bandeau" not in html
        assert "Travaux sur la D660" not in html  # another EPCI
        assert html.index("Alerte orages") < html.index("Vente de terrains")  # urgent first
    lalinde_html = host_client(lalinde.hostname).get("/").content.decode()
    assert "Travaux sur la D660" in lalinde_html and "Alerte orages" in lalinde_html
    assert "Vente de terrains à bâtir" not in lalinde_html


def test_secretary_banners_go_to_approval_and_cannot_be_urgent(bergerac):
    secretary = member("sec-bergerac", bergerac, "secretariat")
    client = host_client("pays.test")
    client.force_login(secretary)
    url = reverse("wagtailsnippets_communes_banner:add")
    data = {
        "title": "Réunion publique",
        "text": "",
        "link_url": "",
        "level": "urgent",
        "start": "2026-11-20 10:00",
        "end": "2099-01-01 10:00",
        "site": bergerac.site_id,
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Banner.objects.exists()
    data["level"] = "info"
    data["action-submit"] = "submit"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    banner = Banner.objects.get()
    assert not banner.live
    assert banner.current_workflow_state.status == "in_progress"


def test_banner_list_says_where_and_in_which_state_in_words(bergerac, pays):
    Banner.objects.create(
        title="Fibre pour tous", start=timezone.now(), end=timezone.now() + datetime.timedelta(1)
    )
    Banner.objects.create(
        title="Fête de la Saint-Jean",
        site_id=bergerac.site_id,
        live=False,
        start=timezone.now(),
        end=timezone.now() + datetime.timedelta(1),
    )
    client = host_client("pays.test")
    client.force_login(member("equipe-pays", pays, "equipe"))
    html = client.get(reverse("wagtailsnippets_communes_banner:list")).content.decode()
    assert "Tous les sites du Pays" in html and bergerac.site.site_name in html
    for raw in (">True<", ">False<", ">None<"):
        assert raw not in html


# -- Mairie hours ------------------------------------------------------------------------------


def test_open_now_in_paris_time_with_exceptions():
    monday = OpeningHours(
        weekday=0,
        morning_open=datetime.time(9),
        morning_close=datetime.time(12),
        afternoon_open=datetime.time(14),
        afternoon_close=datetime.time(17),
    )
    paris = datetime.timezone(datetime.timedelta(hours=1))  # November: UTC+1
    at = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=paris)  # a Monday
    assert opening_status([monday], [], at).is_open
    # 8:30 UTC is 9:30 in Paris: open, whatever the server's time zone.
    assert opening_status(
        [monday], [], datetime.datetime(2026, 11, 23, 8, 30, tzinfo=datetime.UTC)
    ).is_open
    lunch = opening_status([monday], [], at.replace(hour=12, minute=30))
    assert not lunch.is_open and "14 h" in lunch.label
    closed = HoursException(date_from=datetime.date(2026, 11, 23), label="inventaire", closed=True)
    status = opening_status([monday], [closed], at)
    assert not status.is_open and "inventaire" in status.label


def test_mairie_page_shows_hours_and_status(bergerac):
    mairie = page(bergerac, "mairie")
    for weekday in range(7):
        OpeningHours.objects.create(
            page=mairie,
            weekday=weekday,
            morning_open=datetime.time(0),
            morning_close=datetime.time(23, 59),
        )
    html = host_client(bergerac.hostname).get("/mairie/").content.decode()
    assert "Ouvert jusqu&#x27;à" in html
    assert '<th scope="row">Lundi' in html


# -- Feeds, calendar, sitemap ------------------------------------------------------------------


def test_rss_ical_and_sitemap_list_only_this_sites_live_pages(bergerac, lalinde):
    news_index = page(bergerac, "actualites")
    news_index.add_child(instance=NewsPage(title="Nouvelle de Bergerac", slug="n1"))
    news_index.add_child(instance=NewsPage(title="Brouillon caché", slug="n2", live=False))
    page(lalinde, "actualites").add_child(instance=NewsPage(title="Nouvelle de Lalinde", slug="n3"))
    start = timezone.now() + datetime.timedelta(days=2)
    page(bergerac, "agenda").add_child(
        instance=EventPage(
            title="Marché, place; de la mairie",
            slug="marche",
            start=start,
            end=start + datetime.timedelta(hours=3),
            place="Place",
        )
    )
    page(lalinde, "agenda").add_child(
        instance=EventPage(
            title="Fête à Lalinde",
            slug="fete",
            start=start,
            end=start + datetime.timedelta(hours=3),
        )
    )
    client = host_client(bergerac.hostname)

    rss = client.get("/actualites/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "Nouvelle de Bergerac" in body
    assert "Brouillon caché" not in body and "Lalinde" not in body

    ical = client.get("/agenda/ical/")
    assert ical["Content-Type"].startswith("text/calendar")
    body = ical.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Marché\\, place\\; de la mairie" in body
    assert "Lalinde" not in body
    one = client.get("/agenda/marche/ical/").content.decode()
    assert one.count("BEGIN:VEVENT") == 1

    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://bergerac.pays.test/actualites/n1/" in sitemap
    assert "n2" not in sitemap and "lalinde" not in sitemap


# -- Contact form ------------------------------------------------------------------------------


def contact_data(**extra):
    data = {
        "nom_et_prenom": "Jeanne Martin",
        "adresse_electronique": "jeanne@example.org",
        "objet": "Salle des fêtes",
        "votre_message": "Est-elle libre le 12 ?",
        "consentement": "on",
    }
    data.update(extra)
    return data


def test_contact_form_emails_the_mairie_and_stores_the_submission(bergerac):
    contact = page(bergerac, "contact")
    contact.to_address = "mairie@bergerac.test"
    contact.save()
    client = host_client(bergerac.hostname)
    form_page = client.get("/contact/").content.decode()
    assert "/donnees-personnelles/" in form_page  # consent links to the personal-data page
    response = client.post("/contact/", contact_data())
    assert response.status_code == 200 and "Message envoyé" in response.content.decode()
    submission = FormSubmission.objects.get(page=contact)
    assert submission.form_data["votre_message"] == "Est-elle libre le 12 ?"
    assert "consentement" not in submission.form_data
    assert mail.outbox[-1].to == ["mairie@bergerac.test"]
    assert "Est-elle libre le 12 ?" in mail.outbox[-1].body


def test_contact_form_requires_consent_traps_robots_and_limits_rate(bergerac):
    client = host_client(bergerac.hostname, REMOTE_ADDR="203.0.113.7")
    response = client.post("/contact/", contact_data(consentement=""))
    assert response.status_code == 400
    assert "Cochez cette case" in response.content.decode()
    response = client.post("/contact/", contact_data(site_web="http://spam.example"))
    assert response.status_code == 200
    assert not FormSubmission.objects.exists()
    for _ in range(5):
        assert client.post("/contact/", contact_data()).status_code == 200
    response = client.post("/contact/", contact_data())
    assert response.status_code == 429
    assert FormSubmission.objects.count() == 5
    other = host_client(bergerac.hostname, REMOTE_ADDR="203.0.113.8")
    assert other.post("/contact/", contact_data()).status_code == 200


def test_a_refused_contact_form_keeps_what_was_typed_after_the_blank_form_was_memoised(bergerac):
    """The blank form's fields are rendered once per content version; a submitted one is the
    visitor's own, and the next visitor gets the blank one again."""
    client = host_client(bergerac.hostname)
    assert "Jeanne Martin" not in client.get("/contact/").content.decode()
    response = client.post("/contact/", contact_data(consentement=""))
    assert response.status_code == 400
    assert 'value="Jeanne Martin"' in response.content.decode()
    assert "Jeanne Martin" not in host_client(bergerac.hostname).get("/contact/").content.decode()


# -- Content guards ----------------------------------------------------------------------------


def test_image_needs_alt_text_or_an_explicit_decorative_mark(bergerac):
    image = SiteImage(
        title="Église",
        collection_id=bergerac.collection_id,
        file=ImageFile(io.BytesIO(landscape_jpeg(1, 40, 30)), name="e.jpg"),
    )
    with pytest.raises(ValidationError, match="texte alternatif"):
        image.full_clean()
    image.is_decorative = True
    image.full_clean()
    assert image.default_alt_text == ""
    image.is_decorative, image.description = False, "L'église Notre-Dame"
    image.full_clean()
    assert image.default_alt_text == "L'église Notre-Dame"
    # Loaded back, the mark is still there (Wagtail's own `decorative` attribute is not ours).
    image.is_decorative, image.description = True, ""
    image.save()
    loaded = SiteImage.objects.get(pk=image.pk)
    assert loaded.is_decorative and loaded.default_alt_text == ""
    loaded.full_clean()


def test_rich_text_never_renders_script_or_javascript_links(bergerac):
    home = page(bergerac, "mairie")
    evil = StandardPage(
        title="Piège",
        slug="piege",
        intro='<p>Bonjour <a href="javascript:alert(1)">clic</a><script>alert(2)</script>'
        '<a href="jav&#x61;script:alert(3)">x</a><img src=x onerror="alert(4)"></p>',
        body=[{"type": "paragraph", "value": '<p><a href=" JaVaScRiPt:alert(5)">y</a></p>'}],
    )
    home.get_parent().add_child(instance=evil)
    html = host_client(bergerac.hostname).get("/piege/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "javascript" not in main.lower()
    assert "<script" not in main and "onerror" not in main
    assert "Bonjour" in main and ">clic</a>" in main


def test_document_links_show_format_and_size(bergerac):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from communes.models import BulletinPage, SiteDocument

    doc = SiteDocument.objects.create(
        title="Bulletin de printemps",
        collection_id=bergerac.collection_id,
        file=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n" + b"x" * 3000),
    )
    page(bergerac, "bulletins").add_child(
        instance=BulletinPage(title="Printemps", slug="printemps", document=doc)
    )
    html = host_client(bergerac.hostname).get("/bulletins-municipaux/printemps/").content.decode()
    assert "Bulletin de printemps" in html and "(PDF, 2,9" in html


def test_secretary_dashboard_shows_their_commune(bergerac, lalinde):
    secretary = member("sec-bergerac", bergerac, "secretariat")
    mairie = page(bergerac, "mairie")
    mairie.save_revision(user=secretary)
    now = timezone.now()
    Banner.objects.create(
        title="Réunion publique",
        site_id=bergerac.site_id,
        live=True,
        start=now,
        end=now + datetime.timedelta(days=1),
    )
    Banner.objects.create(
        title="Bandeau de Lalinde",
        site_id=lalinde.site_id,
        live=True,
        start=now,
        end=now + datetime.timedelta(days=1),
    )
    client = host_client("pays.test")
    client.force_login(secretary)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Voir le site" in html and 'href="http://bergerac.pays.test/"' in html
    assert "La mairie" in html and "Réunion publique" in html
    assert "Bandeau de Lalinde" not in html and "Lalinde" not in html


def test_page_explorer_opens_on_the_secretarys_commune(bergerac):
    secretary = member("sec-bergerac", bergerac, "secretariat")
    client = host_client("pays.test")
    client.force_login(secretary)
    response = client.get(reverse("wagtailadmin_explore_root"), follow=True)
    assert response.context["parent_page"].pk == bergerac.home_page_id


def test_scheduled_minutes_go_live_and_banners_expire_with_the_scheduler(bergerac):
    from django.core.management import call_command

    from communes.models import CouncilMeetingPage

    council = page(bergerac, "conseil")
    meeting = council.add_child(
        instance=CouncilMeetingPage(
            title="Séance de décembre", slug="seance-decembre", date=timezone.now(), live=False
        )
    )
    revision = meeting.save_revision()
    go_live = timezone.now() + datetime.timedelta(minutes=5)
    meeting.go_live_at = go_live
    revision = meeting.save_revision()
    revision.publish()  # scheduled, not live yet
    meeting.refresh_from_db()
    assert not meeting.live
    client = host_client(bergerac.hostname)
    assert client.get("/conseil-municipal/seance-decembre/").status_code == 404
    # Five minutes later, as far as the scheduler can tell.
    past = timezone.now() - datetime.timedelta(seconds=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", stdout=io.StringIO())
    assert client.get("/conseil-municipal/seance-decembre/").status_code == 200


def test_council_archive_filters_by_year_and_shows_minutes_after_the_meeting(bergerac):
    from communes.models import CouncilMeetingPage, SiteDocument

    council = page(bergerac, "conseil")
    minutes = SiteDocument.objects.create(
        title="PV de mars",
        collection_id=bergerac.collection_id,
        file=SimpleUploadedFile("pv.pdf", b"%PDF-1.4\n"),
    )
    tz = timezone.get_current_timezone()
    for year in (2024, 2025):
        council.add_child(
            instance=CouncilMeetingPage(
                title=f"Séance de mars {year}",
                slug=f"mars-{year}",
                minutes=minutes,
                date=datetime.datetime(year, 3, 12, 18, 30, tzinfo=tz),
                agenda="<p>Budget</p>",
            )
        )
    soon = council.add_child(
        instance=CouncilMeetingPage(
            title="Séance à venir",
            slug="a-venir",
            minutes=minutes,
            agenda="<p>Voirie</p>",
            date=timezone.now() + datetime.timedelta(days=3),
        )
    )
    client = host_client(bergerac.hostname)
    html = client.get("/conseil-municipal/?annee=2024").content.decode()
    assert "Séance de mars 2024" in html and "Séance de mars 2025" not in html
    html = client.get("/conseil-municipal/").content.decode()
    assert "Séance de mars 2025" in html and "Séance à venir" in html
    past = client.get("/conseil-municipal/mars-2025/").content.decode()
    assert "Budget" in past and "PV de mars" in past
    upcoming = client.get(soon.url.replace("http://bergerac.pays.test", "")).content.decode()
    assert "Voirie" in upcoming and "PV de mars" not in upcoming


def test_contact_rate_limit_ignores_forwarding_headers_without_a_trusted_proxy(bergerac, settings):
    """Each post forges a new X-Real-IP and X-Forwarded-For: still one client, limited."""
    settings.TRUSTED_PROXY_COUNT = 0
    client = host_client(bergerac.hostname, REMOTE_ADDR="203.0.113.7")
    for n in range(5):
        forged = {"HTTP_X_REAL_IP": f"198.51.100.{n}", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        assert client.post("/contact/", contact_data(), **forged).status_code == 200
    forged = {"HTTP_X_REAL_IP": "198.51.100.99", "HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert client.post("/contact/", contact_data(), **forged).status_code == 429


def test_contact_rate_limit_counts_clients_behind_a_trusted_proxy(bergerac, settings):
    """Behind one proxy every request comes from its address; the client is the one it
    appended to X-Forwarded-For, whatever the client wrote before it."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = host_client(bergerac.hostname, REMOTE_ADDR="10.0.0.2")
    for n in range(5):
        forwarded = f"198.51.100.{n}, 203.0.113.7"
        response = proxy.post("/contact/", contact_data(), HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code == 200
    limited = proxy.post("/contact/", contact_data(), HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert limited.status_code == 429
    other = proxy.post("/contact/", contact_data(), HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200
