"""Two-factor authentication in the browser: the Pays team member enrols at first login,
then logs in with password and code; a recovery code opens the admin once."""

import base64

import pytest
from django_otp.oath import totp

from tests.browser.conftest import format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ENROL = "/admin/double-authentification/activer/"
VERIFY = "/admin/double-authentification/code/"


def log_in_with_password(browser, world, username="pays"):
    browser.open(world.url("pays.test", "/admin/login/"))
    browser.find("input[name=username]").send_keys(username)
    browser.find("input[name=password]").send_keys(world.password)
    browser.click_and_wait_for_page(browser.find("form button[type=submit]"))


def submit_code(browser, code):
    field = browser.wait_for("input[name=code]")
    field.send_keys(code)
    browser.click_and_wait_for_page(browser.find("form.login-form button[type=submit]"))


def on_dashboard(browser):
    return browser.path == "/admin/" and browser.find_all("[data-wagtail-sidebar]")


def test_pays_staff_enrol_then_log_in_with_a_code_or_a_recovery_code(world, browser, settings):
    settings.BASTIDE_2FA_REQUIRED_FOR_STAFF = True
    violations = []

    # First login: the admin sends the Pays team member to enrolment.
    log_in_with_password(browser, world)
    assert browser.path == ENROL
    assert browser.find(".two-factor-qr svg").is_displayed()
    secret = browser.find("#two-factor-secret").text.replace(" ", "")
    violations.append(("enrolment", browser.axe_violations()))
    browser.screenshot("2fa-1-enrolement")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))

    # The code an app would show for the key read on the page confirms it.
    submit_code(browser, f"{totp(key):06d}")
    codes = [li.text for li in browser.find_all("#recovery-codes li")]
    assert len(codes) == 10, codes
    violations.append(("recovery codes", browser.axe_violations()))
    browser.click_and_wait_for_page(browser.find("main a.button"))
    assert on_dashboard(browser), browser.driver.current_url
    browser.log_out_of_admin()

    # Next login: password, then the code of the app.
    log_in_with_password(browser, world)
    assert browser.path == VERIFY
    violations.append(("code", browser.axe_violations()))
    browser.screenshot("2fa-2-code")
    submit_code(browser, f"{totp(key, drift=1):06d}")
    assert on_dashboard(browser), browser.path
    browser.log_out_of_admin()

    # A recovery code instead of the app, once.
    log_in_with_password(browser, world)
    submit_code(browser, codes[0])
    assert on_dashboard(browser), browser.path
    browser.log_out_of_admin()
    log_in_with_password(browser, world)
    submit_code(browser, codes[0])
    assert browser.path == VERIFY
    assert "Ce code n'est pas valide" in browser.find("main").text

    browser.assert_no_outside_requests()
    assert not any(v for _label, v in violations), format_violations(violations)
