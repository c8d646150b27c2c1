"""The admin home shows how many residents follow each collectivité, never who."""

import pytest
from django.utils import timezone

from alerts.models import Subscription
from conftest import host_client, member


def subscribers(collectivite, count, confirmed=True):
    state = "oui" if confirmed else "non"
    for number in range(count):
        Subscription.objects.create(
            email=f"{collectivite.slug}-{state}-{number}@example.org",
            collectivite=collectivite,
            confirmed_at=timezone.now() if confirmed else None,
        )


@pytest.fixture
def follows(bergerac, lalinde):
    subscribers(bergerac, 3)
    subscribers(bergerac, 2, confirmed=False)
    subscribers(lalinde, 4)


def admin_home(user, pays):
    client = host_client(pays.hostname)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="bastide-alerts-heading"')
    return html[start : html.index("</section>", start)]


def test_a_secretary_sees_the_count_of_their_commune_only(follows, bergerac, pays):
    panel = admin_home(member("secretaire", bergerac, "secretariat"), pays)
    assert "<td>Bergerac</td><td>3</td>" in panel
    assert "Lalinde" not in panel and "@example.org" not in panel


def test_the_pays_team_sees_every_commune_s_count_and_no_address(follows, pays):
    panel = admin_home(member("equipe", pays, "equipe"), pays)
    assert "<td>Bergerac</td><td>3</td>" in panel and "<td>Lalinde</td><td>4</td>" in panel
    assert "7 abonnés confirmés dans tout le Pays." in panel
    assert "@example.org" not in panel


def test_a_commune_nobody_follows_yet_says_so_in_words(bergerac, pays):
    panel = admin_home(member("secretaire", bergerac, "secretariat"), pays)
    assert "<td>Bergerac</td><td>aucun</td>" in panel
