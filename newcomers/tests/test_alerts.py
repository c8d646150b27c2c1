"""The « nouvelles offres » alert: double opt-in, the alert itself, unsubscribing, spam."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from newcomers.models import OfferAlertSubscription
from newcomers.services import alerts
from newcomers.tests.conftest import make_offer

URL = "/installez-vous/reprises/alerte/"


@pytest.fixture(autouse=True)
def _no_rate_limit_between_tests():
    cache.clear()


def subscribe(client, email="candidate@example.org", **extra):
    client.get(URL)  # sets the CSRF cookie
    data = {"email": email, "consentement": "on", **extra}
    return client.post(URL, data)


def link(message, kind):
    return re.search(
        rf"http://pays\.test(/\S*/alerte/{kind}/[\w-]+/[\w-]+/[\w-]+/)", message.body
    ).group(1)


def test_subscribing_takes_a_confirmed_address(offers_index, portal_client):
    response = subscribe(portal_client)
    assert response.status_code == 200
    assert "un courriel vient de lui être envoyé" in response.content.decode()
    subscription = OfferAlertSubscription.objects.get()
    assert subscription.email == "candidate@example.org" and not subscription.is_confirmed
    [message] = mail.outbox
    assert message.to == ["candidate@example.org"]
    assert "Confirmez" in message.subject

    confirm_path = link(message, "confirmer")
    # Opening the link (a mail scanner does) changes nothing; the button does.
    assert "Confirmer mon abonnement" in portal_client.get(confirm_path).content.decode()
    assert not OfferAlertSubscription.objects.get().is_confirmed
    response = portal_client.post(confirm_path)
    assert "abonnement est confirmé" in response.content.decode()
    assert OfferAlertSubscription.objects.get().is_confirmed


def test_new_offers_are_sent_to_confirmed_subscribers_only(offers_index, portal_client):
    subscribe(portal_client)
    portal_client.post(link(mail.outbox[0], "confirmer"))
    subscribe(portal_client, "never-confirmed@example.org")
    mail.outbox.clear()

    # The offers already there when they subscribed are not news.
    assert alerts.send_new_offer_alerts().sent == 0
    later = timezone.now() + datetime.timedelta(minutes=1)
    make_offer(offers_index, "Fromagerie d'Eymet", "24167")
    make_offer(
        offers_index,
        "Vieille offre",
        "24167",
        days=-1,  # expired
        published_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    out = StringIO()
    call_command("send_offer_alerts", "--dry-run", stdout=out)
    assert out.getvalue().startswith("sent 1 of 1 confirmed subscribers") and not mail.outbox

    report = alerts.send_new_offer_alerts(now=later)
    assert report.sent == 1
    [message] = mail.outbox
    assert message.to == ["candidate@example.org"]
    assert "Fromagerie d'Eymet" in message.body and "Vieille offre" not in message.body
    assert "&#x27;" not in message.body
    unsubscribe_path = link(message, "desinscrire")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://pays.test{unsubscribe_path}>"
    # Sent once.
    assert alerts.send_new_offer_alerts(now=later).sent == 0


def test_unsubscribing_forgets_the_address(offers_index, portal_client):
    subscribe(portal_client)
    portal_client.post(link(mail.outbox[0], "confirmer"))
    path = link(mail.outbox[0], "desinscrire")
    assert "Me désinscrire" in portal_client.get(path).content.decode()
    response = portal_client.post(path)
    assert "vous êtes désinscrit" in response.content.decode().lower()
    assert not OfferAlertSubscription.objects.exists()
    # Again: nothing to do, and said kindly.
    assert portal_client.post(path).status_code == 200


def test_forged_or_swapped_tokens_are_refused(offers_index, portal_client):
    subscribe(portal_client)
    confirm_path = link(mail.outbox[0], "confirmer")
    token = confirm_path.split("/confirmer/")[1].rstrip("/")
    # A confirmation token does not unsubscribe, a tampered one does nothing.
    assert portal_client.post(f"{URL}desinscrire/{token}/").status_code == 200
    assert OfferAlertSubscription.objects.exists()
    assert portal_client.get(f"{URL}confirmer/{token[:-2]}xx/").status_code == 404
    assert not OfferAlertSubscription.objects.get().is_confirmed


def test_a_subscribed_address_is_not_revealed_nor_mailed_again(offers_index, portal_client):
    subscribe(portal_client)
    portal_client.post(link(mail.outbox[0], "confirmer"))
    mail.outbox.clear()
    response = subscribe(portal_client, "Candidate@Example.org")
    assert "un courriel vient de lui être envoyé" in response.content.decode()
    assert not mail.outbox
    assert OfferAlertSubscription.objects.count() == 1


def test_spam_is_refused_as_on_the_contact_form(offers_index, portal_client):
    response = subscribe(portal_client, "robot@example.org", site_web="http://spam.example")
    assert response.status_code == 200 and not OfferAlertSubscription.objects.exists()
    assert subscribe(portal_client, "x@").status_code == 400
    response = portal_client.post(URL, {"email": "a@example.org"})
    assert response.status_code == 400
    assert "Cochez cette case" in response.content.decode()
    for number in range(5):
        assert subscribe(portal_client, f"p{number}@example.org").status_code == 200
    response = subscribe(portal_client, "sixth@example.org")
    assert response.status_code == 429
    assert not OfferAlertSubscription.objects.filter(email="sixth@example.org").exists()
