"""« Qualité des sites » in the admin: the Pays team's ranking, one site's to-dos, the CSV
export; nobody else gets any of it."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, host_client, member
from quality.models import LinkIssue
from sitefactory.services.demo_content import create_demo_content

pytestmark = pytest.mark.django_db


def client_for(user, pays):
    client = host_client(pays.hostname)
    client.force_login(user)
    return client


@pytest.fixture
def team(pays):
    return client_for(member("equipe", pays, "equipe"), pays)


@pytest.fixture
def filled(communes):
    """Bergerac with the demo content; Lalinde and Eymet as provisioning left them."""
    create_demo_content(Collectivite.objects.filter(pk=communes[COMMUNE_A].pk))
    return communes


def _names(response):
    return [row.collectivite.name for row in response.context["rows"]]


def test_the_dashboard_ranks_the_collectivites_worst_first_with_their_todos(team, filled):
    response = team.get(reverse("quality:index"))
    assert response.status_code == 200
    names = _names(response)
    assert set(names) >= {"Bergerac", "Lalinde", "Eymet"}
    assert names[-1] == "Bergerac"  # the demo content makes it the best kept
    scores = [row.score for row in response.context["rows"]]
    assert scores == sorted(scores)
    html = response.content.decode()
    assert "Horaires d&#x27;ouverture non renseignés" in html
    assert "Qualité des sites" in html
    table = html[html.index("<table") : html.index("</table>")]
    assert "True" not in table and "None" not in table


def test_the_columns_sort_both_ways(team, filled):
    names = _names(team.get(reverse("quality:index"), {"ordering": "name"}))
    assert names == sorted(names, key=str.lower)
    backwards = _names(team.get(reverse("quality:index"), {"ordering": "-name"}))
    assert backwards == names[::-1]
    best_first = team.get(reverse("quality:index"), {"ordering": "-score"})
    assert _names(best_first)[0] == "Bergerac"


def test_an_unknown_ordering_falls_back_to_the_score(team, filled):
    response = team.get(reverse("quality:index"), {"ordering": "password"})
    assert response.status_code == 200
    assert _names(response)[-1] == "Bergerac"


def test_the_epci_filter_keeps_its_members_and_itself(team, filled):
    bergerac = filled[COMMUNE_A]
    response = team.get(reverse("quality:index"), {"epci": bergerac.epci_id})
    names = _names(response)
    assert "Bergerac" in names
    assert "Lalinde" not in names and "Eymet" not in names
    rows = response.context["rows"]
    assert all(
        r.collectivite.epci_id == bergerac.epci_id or r.collectivite.pk == bergerac.epci_id
        for r in rows
    )


def test_the_search_finds_a_collectivite_by_name(team, filled):
    assert _names(team.get(reverse("quality:index"), {"q": "lali"})) == ["Lalinde"]


def test_the_detail_page_links_each_todo_and_lists_the_link_issues(team, filled):
    lalinde = filled[COMMUNE_B]
    LinkIssue.objects.create(
        site_id=lalinde.site_id,
        page=lalinde.home_page,
        kind=LinkIssue.Kind.BROKEN_LINK,
        url="https://example.org/disparu",
        label="Ancien lien",
        status_code=404,
        last_seen=timezone.now(),
    )
    response = team.get(reverse("quality:detail", args=[lalinde.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    mairie = lalinde.home_page.get_children().get(slug="mairie")
    assert f'href="/admin/pages/{mairie.pk}/edit/"' in html
    assert "Lien cassé" in html and "code HTTP 404" in html
    assert "Aucune page en attente." in html


def test_the_csv_export_has_one_row_per_collectivite_and_no_formula(team, filled):
    eymet = filled[COMMUNE_C]
    eymet.name = '=HYPERLINK("http://evil")'
    eymet.save(update_fields=["name"])
    response = team.get(reverse("quality:export"), {"ordering": "name"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][0] == "Collectivité"
    body = {row[0]: row for row in rows[1:]}
    assert len(body) == Collectivite.objects.members().provisioned().count()
    assert '\'=HYPERLINK("http://evil")' in body
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert body["Bergerac"][3] == "100" or int(body["Bergerac"][3]) > int(body["Lalinde"][3])


@pytest.mark.parametrize(
    "name,args",
    [("quality:index", []), ("quality:export", []), ("quality:detail", ["A"])],
)
def test_a_secretary_gets_none_of_the_dashboard(communes, pays, name, args):
    bergerac = communes[COMMUNE_A]
    secretary = member("secretaire", bergerac, "secretariat")
    url = reverse(name, args=[bergerac.pk if a == "A" else a for a in args])
    response = client_for(secretary, pays).get(url)
    assert response.status_code in (403, 404)


def test_the_menu_shows_the_dashboard_to_the_pays_team_only(communes, pays, rf):
    from quality.wagtail_hooks import quality_menu_item

    item = quality_menu_item()
    request = rf.get("/admin/")
    request.user = member("equipe", pays, "equipe")
    assert item.is_shown(request)
    request.user = member("secretaire", communes[COMMUNE_A], "secretariat")
    assert not item.is_shown(request)


def test_a_page_waiting_for_moderation_links_to_its_diff(team, filled):
    lalinde = filled[COMMUNE_B]
    secretary = member("sec-lalinde", lalinde, "secretariat")
    page = lalinde.home_page.get_children().get(slug="mairie").specific
    page.intro = "<p>Nouvelles horaires d'été.</p>"
    revision = page.save_revision(user=secretary)
    page.get_workflow().start(page, secretary)
    diff = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", revision.pk])

    listing = team.get(reverse("quality:index")).content.decode()
    assert f'href="{diff}"' in listing
    detail = team.get(reverse("quality:detail", args=[lalinde.pk])).content.decode()
    assert f'href="{diff}"' in detail and "Relire et décider" in detail
    assert team.get(diff).status_code == 200
