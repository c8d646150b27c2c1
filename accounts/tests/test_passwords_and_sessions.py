"""Password rules and session lifetime of staff accounts."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from communes.models import Collectivite
from conftest import host_client, member


@pytest.mark.parametrize(
    "password", ["court-2026", "Bergerac-2026-!", "ma commune : Saint Aubin de Cadelech"]
)
def test_short_passwords_and_collectivite_names_are_refused(registry, password):
    assert Collectivite.objects.filter(name="Bergerac").exists()
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_unrelated_passphrase_is_accepted(registry):
    validate_password("cheval-agrafe-correct-batterie")


def test_an_admin_session_lasts_a_working_day_and_ends_with_the_browser(pays):
    member("equipe-test", pays, "equipe")
    client = host_client(pays.hostname)
    response = client.post("/admin/login/", {"username": "equipe-test", "password": "x"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    session = client.session
    assert session.get_expire_at_browser_close()
    assert 8 * 3600 - 60 < session.get_expiry_age() <= 8 * 3600
