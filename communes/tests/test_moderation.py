"""Moderation told for people: the commune and the page, the diff, French emails."""

import pytest
from django.core import mail
from django.urls import reverse

from communes.models import Collectivite, NewsPage
from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from sitefactory.models import ProvisionedPage


def page(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


@pytest.fixture
def bergerac(communes):
    return Collectivite.objects.get(code=COMMUNE_A)


@pytest.fixture
def lalinde(communes):
    return Collectivite.objects.get(code=COMMUNE_B)


@pytest.fixture
def reviewer(pays):
    return member("relectrice", pays, "equipe", email="relectrice@pays.test")


def submitted(collectivite, author, title="Fête de la musique", slug="fete"):
    """A news page of `collectivite`, saved and submitted by `author`."""
    news = page(collectivite, "actualites").add_child(
        instance=NewsPage(title="Brouillon", slug=slug)
    )
    news.save_revision().publish()
    news.title = title
    revision = news.save_revision(user=author)
    news.get_workflow().start(news, author)
    news.refresh_from_db()
    assert news.current_workflow_state is not None
    return news, revision


def client_for(user):
    client = host_client("pays.test")
    client.force_login(user)
    return client


def test_the_dashboard_panel_names_the_commune_and_links_to_the_diff(bergerac, reviewer):
    secretary = member("sec-bergerac", bergerac, "secretariat")
    news, revision = submitted(bergerac, secretary)
    response = client_for(reviewer).get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "En attente de votre vérification" in html
    assert "<strong>Bergerac</strong> — " in html
    assert "Fête de la musique" in html
    compare = reverse("wagtailadmin_pages:revisions_compare", args=[news.pk, "live", revision.pk])
    assert compare in html
    assert reverse("wagtailadmin_pages:edit", args=[news.pk]) in html


def test_the_pending_list_groups_by_collectivite_and_filters_by_epci(bergerac, lalinde, reviewer):
    submitted(bergerac, member("sec-bergerac", bergerac, "secretariat"), "Concert")
    submitted(lalinde, member("sec-lalinde", lalinde, "secretariat"), "Marché de nuit", "marche")
    client = client_for(reviewer)
    html = client.get(reverse("communes_moderation")).content.decode()
    assert "Publications à approuver" in html
    assert "Concert" in html and "Marché de nuit" in html
    assert "Demander des modifications" in html or "Request changes" not in html
    html = client.get(reverse("communes_moderation"), {"collectivite": lalinde.pk}).content
    assert "Marché de nuit" in html.decode() and "Concert" not in html.decode()
    assert bergerac.epci_id and bergerac.epci_id != lalinde.epci_id
    html = client.get(reverse("communes_moderation"), {"epci": bergerac.epci_id}).content
    assert "Concert" in html.decode() and "Marché de nuit" not in html.decode()
    # The filters offer what something waits for, not the 160 collectivités.
    filters = html.decode().split("data-moderation-filters")[1].split("</form>")[0]
    assert "Bergerac" in filters and "Lalinde" in filters and "Eymet" not in filters


def test_a_secretary_sees_neither_the_list_nor_another_communes_pending_item(bergerac, lalinde):
    secretary = member("sec-bergerac", bergerac, "secretariat")
    submitted(lalinde, member("sec-lalinde", lalinde, "secretariat"), "Marché de nuit", "marche")
    client = client_for(secretary)
    assert client.get(reverse("communes_moderation")).status_code in (403, 404)
    assert "Marché de nuit" not in client.get(reverse("wagtailadmin_home")).content.decode()


def act(reviewer, news, action, comment=""):
    task_state = news.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[news.pk, action, task_state.pk])
    return client_for(reviewer).post(url, {"comment": comment})


def to(address):
    return [m for m in mail.outbox if address in m.to]


def test_the_reviewer_is_told_in_french_which_commune_submitted_what(bergerac, reviewer):
    mail.outbox.clear()
    news, _revision = submitted(bergerac, member("sec-bergerac", bergerac, "secretariat"))
    (message,) = to("relectrice@pays.test")
    assert message.subject.startswith("Bergerac — Fête de la musique")
    assert "http://pays.test" + reverse("wagtailadmin_pages:edit", args=[news.pk]) in message.body
    assert "du site de Bergerac attend votre approbation" in message.body


def test_approval_tells_the_author_in_french_with_the_comment(bergerac, reviewer):
    news, _revision = submitted(
        bergerac, member("sec-bergerac", bergerac, "secretariat", email="sec@bergerac.test")
    )
    mail.outbox.clear()
    act(reviewer, news, "approve", "Parfait, merci.")
    (message,) = to("sec@bergerac.test")
    assert message.subject.startswith("Bergerac — Fête de la musique")
    assert "approuvée" in message.subject
    assert "Parfait, merci." in message.body
    assert "http://pays.test" + reverse("wagtailadmin_pages:edit", args=[news.pk]) in message.body
    assert "du site de Bergerac a été approuvée par" in message.body


def test_rejection_tells_the_author_in_french_with_the_comment(bergerac, reviewer):
    news, _revision = submitted(
        bergerac, member("sec-bergerac", bergerac, "secretariat", email="sec@bergerac.test")
    )
    mail.outbox.clear()
    act(reviewer, news, "reject", "Merci d'ajouter l'heure du concert.")
    (message,) = to("sec@bergerac.test")
    assert message.subject.startswith("Bergerac — Fête de la musique")
    assert "Merci d'ajouter l'heure du concert." in message.body
    assert "http://pays.test" + reverse("wagtailadmin_pages:edit", args=[news.pk]) in message.body
    assert message.subject.endswith("modifications demandées")


def test_the_pending_list_asks_the_database_as_often_for_two_items_as_for_six(
    bergerac, lalinde, reviewer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(reviewer)
    secretary = member("sec-bergerac", bergerac, "secretariat")
    for n in range(2):
        submitted(bergerac, secretary, f"Nouvelle {n}", f"nouvelle-{n}")
    client.get(reverse("communes_moderation"))
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("communes_moderation")).status_code == 200
    other = member("sec-lalinde", lalinde, "secretariat")
    for n in range(4):
        submitted(lalinde, other, f"Annonce {n}", f"annonce-{n}")
    with CaptureQueriesContext(connection) as six:
        html = client.get(reverse("communes_moderation")).content.decode()
    assert html.count("data-task-state=") == 6
    assert len(six) <= len(two) + 2, [q["sql"][:120] for q in six.captured_queries]


def test_an_occitan_entry_under_review_is_the_pays_s_and_its_writer_is_told_in_french(
    communes, pays
):
    from occitan.models import Entry
    from occitan.tests.test_review_workflow import ENTRY, entry_data

    writer = member("ieo-redaction", pays, "occitan-redaction", email="ieo@oc.test")
    occitan_reviewer = member("ieo-relecture", pays, "occitan-relecture")
    client_for(writer).post(reverse(f"{ENTRY}:add"), entry_data(**{"action-submit": "1"}))
    entry = Entry.objects.get(slug="maison")
    assert entry.workflow_in_progress

    reviewer_client = client_for(occitan_reviewer)
    html = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"<strong>{pays.name}</strong> — " in html and "maison" in html

    mail.outbox.clear()
    task_state = entry.current_workflow_state.current_task_state
    approve = reverse(f"{ENTRY}:workflow_action", args=[entry.pk, "approve", task_state.pk])
    reviewer_client.post(approve, {"comment": "Bon."})
    (message,) = to("ieo@oc.test")
    assert message.subject.endswith("publication approuvée")
    assert "L'élément « maison — l'ostal » (mot du lexique) a été approuvé par" in message.body
    assert "Commentaire : « Bon. »" in message.body
    edit = reverse(f"{ENTRY}:edit", args=[entry.pk])
    assert "http://pays.test" + edit in message.body


def test_the_demo_reviewer_is_told_of_a_submission_in_french(bergerac):
    from sitefactory.services.demo import create_demo_accounts

    create_demo_accounts(password="demo-demo-demo")  # noqa: S106
    mail.outbox.clear()
    submitted(bergerac, member("sec-bergerac", bergerac, "secretariat"))
    (message,) = to("pays@example.org")
    assert message.subject == "Bergerac — Fête de la musique : à approuver"
    assert message.body.startswith("Bonjour Équipe,")
    assert "Toutes les publications à approuver : http://pays.test/admin/moderation/" in (
        message.body
    )


def test_the_locator_reads_only_the_collectivites_of_the_objects_asked_about(
    bergerac, lalinde, pays
):
    """The pending list must not read the whole registry (35,000 rows for France): given
    the objects, the locator reads their collectivités and the Pays, and answers as the
    locator over the whole registry does."""
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from communes.locator import CollectiviteLocator
    from communes.models import Banner

    news = page(bergerac, "actualites")
    image = get_image_model()(
        title="Lavoir", collection=Collection.objects.get(pk=lalinde.collection_id)
    )
    banner = Banner(site_id=lalinde.site_id, title="Réunion publique")
    portal_page = pays.site.root_page
    objects = [news, image, banner, bergerac, portal_page]

    everything = CollectiviteLocator()
    some = CollectiviteLocator(objects)

    assert {c.pk for c in some.by_id.values()} == {bergerac.pk, lalinde.pk, pays.pk}
    assert len(everything.by_id) > len(some.by_id)
    for obj in objects:
        assert some.for_object(obj) == everything.for_object(obj), obj
    assert some.for_object(news) == bergerac
    assert some.for_object(image) == some.for_object(banner) == lalinde
    assert some.pays == everything.pays == pays
