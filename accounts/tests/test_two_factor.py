"""The admin's second factor: enrolment, the code at each login, recovery codes, who must."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from conftest import host_client, member

PASSWORD = "un-mot-de-passe-solide"  # noqa: S105


@pytest.fixture
def required(settings):
    settings.BASTIDE_2FA_REQUIRED_FOR_STAFF = True
    settings.BASTIDE_2FA_REQUIRED_FOR_SECRETARIES = False


@pytest.fixture
def team_member(pays):
    user = member("equipe-test", pays, "equipe")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(username=None, password=PASSWORD):
    client = host_client("pays.test", REMOTE_ADDR="203.0.113.7")
    response = client.post(
        "/admin/login/", {"username": username or "equipe-test", "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def code_for(device, drift=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def enrol(client):
    page = client.get("/admin/double-authentification/activer/").content.decode()
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user__username="equipe-test", confirmed=False)
    assert secret.replace(" ", "") in device.config_url
    response = client.post("/admin/double-authentification/activer/", {"code": code_for(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return device, codes


def test_pays_staff_without_a_device_are_sent_to_enrolment_from_every_admin_page(
    team_member, required
):
    client = log_in()
    for url in ("/admin/", "/admin/pages/", "/admin/connexions/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/double-authentification/activer/?next=")
    page = client.get("/admin/double-authentification/activer/").content.decode()
    assert "<svg" in page and "https://" not in page.split("<svg", 1)[1].split("</svg>")[0]
    assert 'id="two-factor-secret"' in page


def test_enrolment_shows_ten_recovery_codes_once_then_opens_the_admin(team_member, required):
    client = log_in()
    device, codes = enrol(client)
    assert len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert not any(
        c in client.get("/admin/double-authentification/").content.decode() for c in codes
    )


def test_a_wrong_code_does_not_confirm_the_enrolment(team_member, required):
    client = log_in()
    client.get("/admin/double-authentification/activer/")
    response = client.post("/admin/double-authentification/activer/", {"code": "000000"})
    assert response.status_code == 400
    assert not two_factor.is_enrolled(team_member)
    assert client.get("/admin/").status_code == 302


def test_the_next_login_asks_for_the_code_before_any_admin_page(team_member, required):
    device, _codes = enrol(log_in())
    client = log_in()
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/double-authentification/code/?next=%2Fadmin%2Fpages%2F"
    wrong = client.post("/admin/double-authentification/code/", {"code": "123456"})
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    code = code_for(device, drift=1)
    # Right after a wrong code even the right one waits (django-otp's throttling)...
    assert client.post("/admin/double-authentification/code/", {"code": code}).status_code == 400
    # ...until the delay has passed.
    TOTPDevice.objects.update(throttling_failure_timestamp=None)
    response = client.post(
        "/admin/double-authentification/code/", {"code": code, "next": "/admin/pages/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(team_member, required):
    _device, codes = enrol(log_in())
    client = log_in()
    response = client.post("/admin/double-authentification/code/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(token=codes[0]).count() == 0
    again = log_in()
    assert again.post("/admin/double-authentification/code/", {"code": codes[0]}).status_code == 400
    assert again.get("/admin/").status_code == 302


def test_the_verification_is_asked_again_in_a_new_session(team_member, required):
    device, _codes = enrol(log_in())
    first = log_in()
    first.post("/admin/double-authentification/code/", {"code": code_for(device, drift=1)})
    assert first.get("/admin/").status_code == 200
    assert log_in().get("/admin/").status_code == 302


def test_the_requirement_is_off_for_secretaries_unless_set(communes, settings, required):
    from conftest import COMMUNE_A

    secretary = member("secretaire-test", communes[COMMUNE_A], "secretariat")
    secretary.set_password(PASSWORD)
    secretary.save()
    client = log_in("secretaire-test")
    assert client.get("/admin/").status_code == 200
    settings.BASTIDE_2FA_REQUIRED_FOR_SECRETARIES = True
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/double-authentification/activer/")


def test_a_voluntary_user_may_switch_it_off_a_required_one_may_not(team_member, settings):
    settings.BASTIDE_2FA_REQUIRED_FOR_STAFF = False
    client = log_in()
    assert client.get("/admin/").status_code == 200  # not required: no enrolment forced
    account = client.get("/admin/account/").content.decode()
    assert "/admin/double-authentification/" in account
    enrol(client)
    client.post("/admin/double-authentification/", {"action": "disable"})
    assert not two_factor.is_enrolled(team_member)

    settings.BASTIDE_2FA_REQUIRED_FOR_STAFF = True
    enrol(client)
    client.post("/admin/double-authentification/", {"action": "disable"})
    assert two_factor.is_enrolled(team_member)


def test_new_recovery_codes_replace_the_old_ones(team_member, required):
    client = log_in()
    _device, old = enrol(client)
    response = client.post("/admin/double-authentification/", {"action": "recovery-codes"})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert two_factor.recovery_codes_left(team_member) == 10


def test_the_pays_resets_a_lost_device_and_the_user_enrols_again(team_member, required):
    enrol(log_in())
    call_command("reset_two_factor", "equipe-test", stdout=StringIO())
    assert not two_factor.is_enrolled(team_member)
    response = log_in().get("/admin/")
    assert response["Location"].startswith("/admin/double-authentification/activer/")


def test_public_pages_never_ask_for_the_second_factor(team_member, required):
    client = log_in()
    assert client.get("/").status_code == 200


def test_the_pays_resets_a_lost_device_from_the_admin(team_member, pays, required):
    colleague = member("equipe-collegue", pays, "equipe")
    enrol(log_in())
    client = log_in()
    device = TOTPDevice.objects.get(user=team_member, confirmed=True)
    client.post("/admin/double-authentification/code/", {"code": code_for(device, drift=1)})
    TOTPDevice.objects.create(user=colleague, name="app", confirmed=True)
    response = client.post(
        "/admin/connexions/debloquer/",
        {"username": "equipe-collegue", "action": "reset-two-factor"},
    )
    assert response.status_code == 302
    assert not two_factor.is_enrolled(colleague)
    assert two_factor.is_enrolled(team_member)


def test_only_a_superuser_resets_a_superusers_device(team_member, required, django_user_model):
    admin = django_user_model.objects.create_superuser("racine", password=PASSWORD)
    TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client = log_in()
    _device, _codes = enrol(client)
    response = client.post(
        "/admin/connexions/debloquer/", {"username": "racine", "action": "reset-two-factor"}
    )
    assert response.status_code == 200
    assert "superutilisateur" in response.content.decode()
    assert two_factor.is_enrolled(admin)
