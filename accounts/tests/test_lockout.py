"""Failed logins lock the account and the address (django-axes), and the Pays reads the log."""

from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command

from conftest import COMMUNE_A, host_client, member

PASSWORD = "un-mot-de-passe-solide"  # noqa: S105


@pytest.fixture
def staff(communes, pays):
    secretary = member("secretaire-test", communes[COMMUNE_A], "secretariat")
    team = member("equipe-test", pays, "equipe")
    for user in (secretary, team):
        user.set_password(PASSWORD)
        user.save()
    return secretary, team


def log_in(username, password, address="203.0.113.7", **headers):
    client = host_client("pays.test", REMOTE_ADDR=address, **headers)
    response = client.post("/admin/login/", {"username": username, "password": password})
    return client, response


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_right_password_after_five_wrong_ones_is_refused(staff, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        _client, response = log_in("secretaire-test", "faux")
        assert response.status_code == 200  # the form again, with its error
    _client, response = log_in("secretaire-test", "faux")
    assert response.status_code == 429
    _client, response = log_in("secretaire-test", PASSWORD, address="198.51.100.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Connexion bloquée" in page and "Réessayez dans 15 minutes" in page
    assert "login-logo" in page  # in the look of the admin's login page


def test_an_address_that_tries_many_accounts_is_locked_for_all(staff):
    for n in range(5):
        log_in(f"inconnu-{n}", "faux")
    _client, response = log_in("equipe-test", PASSWORD)
    assert response.status_code == 429
    # The account itself is not locked: from elsewhere it logs in.
    _client, response = log_in("equipe-test", PASSWORD, address="203.0.113.50")
    assert logged_in(response)


def test_forged_forwarding_headers_do_not_make_a_new_address(staff, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        log_in(f"inconnu-{n}", "faux", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    _client, response = log_in(
        "equipe-test", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99", HTTP_X_REAL_IP="1.2.3.4"
    )
    assert response.status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_a_trusted_proxy_clients_are_told_apart(staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        log_in(f"inconnu-{n}", "faux", address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    _client, response = log_in(
        "equipe-test", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.67"
    )
    assert logged_in(response)
    assert AccessLog.objects.get(username="equipe-test").ip_address == "203.0.113.67"


def test_the_pays_unlocks_an_account_with_axes_reset_username(staff):
    for _ in range(5):
        log_in("secretaire-test", "faux", address="198.51.100.1")
    assert AccessAttempt.objects.filter(username="secretaire-test").exists()
    call_command("axes_reset_username", "secretaire-test", stdout=StringIO())
    _client, response = log_in("secretaire-test", PASSWORD, address="198.51.100.2")
    assert logged_in(response)


def test_the_connection_log_is_read_by_the_pays_team_only(staff):
    log_in("secretaire-test", "faux", address="198.51.100.5")
    secretary_client, response = log_in("secretaire-test", PASSWORD)
    assert logged_in(response)
    team_client, response = log_in("equipe-test", PASSWORD)
    assert logged_in(response)

    logins = team_client.get("/admin/connexions/")
    assert logins.status_code == 200
    assert "secretaire-test" in logins.content.decode()
    failures = team_client.get("/admin/connexions/echecs/")
    assert failures.status_code == 200 and "198.51.100.5" in failures.content.decode()
    reports_menu = team_client.get("/admin/").content.decode()
    assert "/admin/connexions/" in reports_menu

    for url in (
        "/admin/connexions/",
        "/admin/connexions/resultats/",
        "/admin/connexions/echecs/",
        "/admin/connexions/echecs/resultats/",
    ):
        assert secretary_client.get(url).status_code == 404, url
    assert "/admin/connexions/" not in secretary_client.get("/admin/").content.decode()


def test_the_pays_unlocks_an_account_from_the_admin(staff):
    for _ in range(5):
        log_in("secretaire-test", "faux", address="198.51.100.1")
    team_client, _response = log_in("equipe-test", PASSWORD)
    page = team_client.get("/admin/connexions/debloquer/")
    assert page.status_code == 200 and "Après 5 échecs" in page.content.decode()
    response = team_client.post(
        "/admin/connexions/debloquer/", {"username": "secretaire-test", "action": "unlock"}
    )
    assert response.status_code == 302
    _client, response = log_in("secretaire-test", PASSWORD, address="198.51.100.1")
    assert logged_in(response)


def test_a_secretary_cannot_reach_the_unlocking_page(staff):
    secretary_client, _response = log_in("secretaire-test", PASSWORD)
    for method in (secretary_client.get, secretary_client.post):
        response = method(
            "/admin/connexions/debloquer/", {"username": "equipe-test", "action": "unlock"}
        )
        assert response.status_code == 404
    assert "/admin/connexions/debloquer/" not in secretary_client.get("/admin/").content.decode()
