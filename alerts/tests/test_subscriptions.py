"""Subscribing to a commune's alerts: double opt-in, one click to leave, robots and floods."""

import datetime
from io import StringIO

from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Subscription
from alerts.services import subscriptions
from alerts.tests.conftest import URL, confirmed, link, subscribe, urgent_banner
from conftest import host_client


def test_the_page_offers_both_kinds_of_alert_with_visible_labels(resident):
    html = resident.get(URL).content.decode()
    assert "<h1>Alertes de Bergerac</h1>" in html
    assert 'for="id_banners"' in html and 'for="id_meetings"' in html
    assert "Les alertes urgentes" in html and "séances du conseil" in html
    assert 'href="/alertes/rss/"' in html


def test_nothing_is_sent_but_the_confirmation_before_the_address_is_confirmed(
    resident, bergerac, django_capture_on_commit_callbacks
):
    response = subscribe(resident)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vérifiez votre messagerie" in html
    subscription = Subscription.objects.get()
    assert subscription.collectivite == bergerac and not subscription.is_confirmed
    [message] = mail.outbox
    assert message.to == ["habitante@example.org"]
    assert message.subject == "[Bergerac] Confirmez votre abonnement aux alertes"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        urgent_banner("Coupure d'eau", bergerac.site)
    assert mail.outbox == []

    confirm_path = link(message, "confirmer")
    # Opening the link (a mail scanner does) changes nothing; the button does.
    assert "Confirmer mon abonnement" in resident.get(confirm_path).content.decode()
    assert not Subscription.objects.get().is_confirmed
    with django_capture_on_commit_callbacks(execute=True):
        response = resident.post(confirm_path)
    assert "abonnement est confirmé" in response.content.decode()
    assert Subscription.objects.get().is_confirmed
    # The urgent banner still in force reaches the new subscriber.
    [alert] = mail.outbox
    assert alert.subject == "[Bergerac] Alerte : Coupure d'eau"


def test_asking_again_for_a_confirmed_address_reveals_nothing_and_sends_nothing(resident):
    confirmed(resident)
    response = subscribe(resident, "HABITANTE@example.org")
    assert "Vérifiez votre messagerie" in response.content.decode()
    assert mail.outbox == []
    assert Subscription.objects.count() == 1


def test_the_same_address_may_follow_two_communes(resident, lalinde):
    subscribe(resident)
    subscribe(host_client(lalinde.hostname))
    assert sorted(s.collectivite.name for s in Subscription.objects.all()) == [
        "Bergerac",
        "Lalinde",
    ]


def test_a_form_with_no_kind_of_alert_or_no_consent_is_refused_in_french(resident):
    response = subscribe(resident, banners="", meetings="", consentement="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez au moins une sorte d&#x27;alerte." in html
    assert "Cochez cette case pour vous abonner." in html
    assert not Subscription.objects.exists() and mail.outbox == []


def test_a_robot_filling_the_honeypot_is_thanked_and_forgotten(resident):
    response = subscribe(resident, site_web="http://spam.example")
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in response.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []


def test_one_address_cannot_flood_the_form(resident):
    for number in range(5):
        assert subscribe(resident, f"n{number}@example.org").status_code == 200
    response = subscribe(resident, "n6@example.org")
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert Subscription.objects.count() == 5


def test_bad_forged_expired_or_other_sites_links_give_a_french_page(resident, lalinde, monkeypatch):
    subscribe(resident)
    confirm_path = link(mail.outbox[0], "confirmer")
    token = confirm_path.split("/")[-2]
    forged = signing.dumps(
        {"s": Subscription.objects.get().pk, "k": "guess", "a": "confirm"},
        salt=subscriptions.SALT,
    )
    for path in (
        "/alertes/confirmer/nimporte-quoi/",
        f"/alertes/confirmer/{forged}/",
        f"/alertes/desabonner/{token}/",  # a confirmation token is no unsubscribe token
        "/alertes/desabonner/%C3%A9%00/",
    ):
        response = resident.get(path)
        assert response.status_code == 404, path
        assert "pas valide ou a expiré" in response.content.decode()
    # Another commune's site does not know it.
    other = host_client(lalinde.hostname).get(confirm_path)
    assert other.status_code == 404
    # Past its validity, the confirmation link has expired.
    monkeypatch.setattr(subscriptions, "CONFIRM_DAYS", 0)
    response = resident.post(confirm_path)
    assert response.status_code == 404 and "a expiré" in response.content.decode()
    assert not Subscription.objects.get().is_confirmed


def test_one_click_unsubscribe_forgets_the_address(resident, bergerac):
    confirmed(resident)
    urgent_banner("Tempête", bergerac.site)
    call_command("send_alerts", stdout=StringIO())
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = link(message, "desabonner")
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{stop}>")

    assert "Me désabonner" in resident.get(stop).content.decode()
    # What a mail client sends (RFC 8058): a POST without a CSRF token, without a cookie.
    strict = host_client(bergerac.hostname, enforce_csrf_checks=True)
    response = strict.post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Vous êtes désabonné" in response.content.decode()
    assert not Subscription.objects.exists()
    # Twice is fine.
    assert strict.post(stop).status_code == 200


def test_unconfirmed_subscriptions_are_erased_after_their_retention(resident, settings):
    settings.ALERTS_UNCONFIRMED_RETENTION_DAYS = 14
    subscribe(resident, "late@example.org")
    confirmed(resident, "kept@example.org")
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(days=15))
    out = StringIO()
    call_command("purge_alert_subscriptions", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "would erase 1 unconfirmed alert subscriptions"
    assert Subscription.objects.count() == 2
    call_command("purge_alert_subscriptions", stdout=out)
    assert [s.email for s in Subscription.objects.all()] == ["kept@example.org"]


def test_hostile_tokens_and_fields_never_break_the_pages(resident):
    for junk in ("%00", "%ff", "%ed%a0%80", "x" * 5000, ".eJyrVirOLCjKTS0uTsxLVrJSMrQ", "a:b:c"):
        for kind in ("confirmer", "desabonner"):
            path = f"/alertes/{kind}/{junk}/"
            assert resident.get(path).status_code == 404, path
            assert resident.post(path).status_code in (200, 404), path
    resident.get(URL)
    for value in ("", "\x00", "a\x00b@example.org", "x" * 10_000, "%ff", '"><script>'):
        for field in ("email", "banners", "meetings", "consentement"):
            data = {"email": "a@example.org", "banners": "on", "consentement": "on"}
            data[field] = value
            cache.clear()  # no rate limit: every value reaches the form
            response = resident.post(URL, data)
            assert response.status_code in (200, 400), (field, value[:20])
            assert "<script>" not in response.content.decode().split("</header>")[-1]


def test_a_refused_form_shows_what_was_typed_after_the_blank_form_was_memoised(resident):
    """The blank form's fields are rendered once per content version ({% memo … unless %});
    a submitted one is the visitor's own."""
    assert 'value="jeanne@example.org"' not in resident.get(URL).content.decode()
    response = subscribe(resident, email="jeanne@example.org", consentement="")
    assert response.status_code == 400
    assert 'value="jeanne@example.org"' in response.content.decode()
    assert 'value="jeanne@example.org"' not in resident.get(URL).content.decode()
