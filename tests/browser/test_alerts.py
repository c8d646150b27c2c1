"""Alerts to residents in Chromium, on the demo as `make seed` makes it: Bergerac's alerts
subscribed to through the form, confirmed from the test email backend, the next urgent
banner received, and nothing after unsubscribing. axe-core finds no violation on any of the
alerts' pages, at 390×844 and on the desktop."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from communes.models import Banner, Collectivite
from tests.browser.conftest import DESKTOP, Viewport, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = Viewport("390x844", 390, 844, mobile=True)


def publish_urgent_banner(site, title):
    now = timezone.now()
    Banner.objects.create(
        title=title,
        text="Restez chez vous.",
        level=Banner.Level.URGENT,
        start=now - datetime.timedelta(minutes=1),
        end=now + datetime.timedelta(hours=6),
        site=site,
        live=True,
    )


def link(kind):
    message = mail.outbox[-1]
    return re.search(rf"(https?://\S+/alertes/{kind}/\S+/)", message.body).group(1)


def test_a_resident_follows_bergerac_s_alerts_then_leaves(world, browser):
    bergerac = Collectivite.objects.get(code="24037")
    found = []

    def check(label):
        for viewport in (PHONE, DESKTOP):
            browser.viewport(viewport)
            found.append((f"{label} ({viewport.name})", browser.axe_violations()))
            browser.screenshot(f"alertes-{label.replace(' ', '-')}-{viewport.name}")

    browser.viewport(PHONE)
    browser.open(world.url(bergerac.hostname, "/"))
    browser.click_and_wait_for_page(browser.find(".alerts-panel a[href='/alertes/']"))
    assert browser.find("h1").text == "Alertes de Bergerac"
    check("form")

    browser.click_and_wait_for_page(browser.find(".alerts-page button[type=submit]"))
    assert browser.find(".form-errors").is_displayed()
    check("form with errors")

    email = browser.find("#id_email")
    email.clear()
    email.send_keys("habitant@example.org")
    browser.click(browser.find("label[for=id_consentement]"))
    browser.click_and_wait_for_page(browser.find(".alerts-page button[type=submit]"))
    assert browser.find("h1").text == "Vérifiez votre messagerie"
    check("check your inbox")
    [message] = mail.outbox
    assert message.to == ["habitant@example.org"]

    browser.open(link("confirmer"))
    check("confirm")
    browser.click_and_wait_for_page(browser.find(".alerts-page button[type=submit]"))
    assert "abonnement est confirmé" in browser.find("[role=status]").text
    check("confirmed")

    mail.outbox.clear()
    publish_urgent_banner(bergerac.site, "Crue de la Dordogne")
    [alert] = mail.outbox
    assert alert.subject == "[Bergerac] Alerte : Crue de la Dordogne"

    browser.open(link("desabonner"))
    check("unsubscribe")
    browser.click_and_wait_for_page(browser.find(".alerts-page button[type=submit]"))
    assert "Vous êtes désabonné" in browser.find("[role=status]").text
    check("unsubscribed")

    mail.outbox.clear()
    publish_urgent_banner(bergerac.site, "Crue de la Dordogne, suite")
    assert mail.outbox == []

    browser.open(world.url(bergerac.hostname, "/alertes/confirmer/lien-perime/"))
    check("dead link")

    assert not any(v for _label, v in found), format_violations(found)
    browser.assert_no_outside_requests()
