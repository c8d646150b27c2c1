from io import StringIO

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from conftest import COMMUNE_A, COMMUNE_B, host_client


def check_password(username, password):
    # The lockout backend (django-axes) needs the request that carries the attempt.
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="192.0.2.1")
    return authenticate(request, username=username, password=password)


def log_in(client, username, password):
    """Through the admin's login form, as a person would."""
    response = client.post("/admin/login/", {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_demo_accounts_log_in_and_see_the_admin(communes):
    out = StringIO()
    call_command("create_demo_accounts", "--password", "demo-Bastide-2026", stdout=out)
    assert "demo-Bastide-2026" in out.getvalue()
    User = get_user_model()
    pays = User.objects.get(username="pays")
    assert not pays.is_superuser
    assert pays.groups.filter(name="Pays du Grand Bergeracois — Équipe").exists()
    secretary = User.objects.get(username="secretaire-bergerac")
    assert list(secretary.groups.values_list("name", flat=True)) == ["Bergerac — Secrétariat"]
    assert User.objects.filter(username="secretaire-lalinde").exists()
    assert check_password("secretaire-bergerac", "demo-Bastide-2026")

    client = host_client(communes[COMMUNE_A].hostname)
    assert log_in(client, "secretaire-bergerac", "demo-Bastide-2026")
    assert client.get("/admin/").status_code == 200
    client = host_client("pays.test")
    assert log_in(client, "pays", "demo-Bastide-2026")
    assert client.get("/admin/").status_code == 200

    # Running it again resets passwords and creates no duplicate.
    call_command("create_demo_accounts", "--password", "autre-mot-de-passe", stdout=StringIO())
    assert User.objects.filter(username__startswith="secretaire-").count() == 3
    assert check_password("secretaire-lalinde", "autre-mot-de-passe")
    assert log_in(
        host_client(communes[COMMUNE_B].hostname), "secretaire-lalinde", "autre-mot-de-passe"
    )


def test_migrations_and_provisioning_create_no_account(communes):
    """Demo accounts come only from the seed command, never from migrations or provisioning."""
    User = get_user_model()
    assert not User.objects.exists()
    call_command("create_demo_accounts", "--password", "demo-Bastide-2026", stdout=StringIO())
    assert User.objects.filter(username="pays").exists()


def test_the_occitan_partners_get_a_demo_account_each(communes):
    out = StringIO()
    call_command("create_demo_accounts", "--password", "demo-Bastide-2026", stdout=out)
    assert "occitan-redaction, occitan-relecture" in out.getvalue()
    writer = get_user_model().objects.get(username="occitan-redaction")
    assert list(writer.groups.values_list("name", flat=True)) == ["Occitan — rédaction"]
    assert check_password("occitan-relecture", "demo-Bastide-2026")
    call_command("create_demo_accounts", "--password", "demo-Bastide-2026", stdout=StringIO())
    assert get_user_model().objects.filter(username__startswith="occitan-").count() == 2
