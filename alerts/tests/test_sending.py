"""Sending: the subscribers of the commune whose site shows the alert, once, never others."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alerts.models import SentAlert, Subscription
from alerts.services.sending import send_alerts
from alerts.tests.conftest import confirmed, link, urgent_banner
from communes.models import Banner, CouncilIndexPage, CouncilMeetingPage
from conftest import host_client


def publish_meeting(commune, days=10, title="Séance du conseil"):
    index = CouncilIndexPage.objects.descendant_of(commune.home_page).get()
    meeting = CouncilMeetingPage(
        title=title,
        date=timezone.now() + datetime.timedelta(days=days),
        place="Salle des fêtes",
    )
    index.add_child(instance=meeting)
    meeting.save_revision().publish()
    return meeting


@pytest.fixture
def two_subscribers(resident, lalinde):
    confirmed(resident, "bergerac@example.org")
    confirmed(host_client(lalinde.hostname), "lalinde@example.org")


def test_an_urgent_banner_published_on_bergerac_reaches_bergerac_s_subscriber_only(
    bergerac, two_subscribers, django_capture_on_commit_callbacks
):
    banner = Banner(
        title="Route fermée",
        text="La D660 est fermée jusqu'à 18 h.",
        level=Banner.Level.URGENT,
        end=timezone.now() + datetime.timedelta(hours=8),
        site=bergerac.site,
        live=False,
    )
    banner.save()
    with django_capture_on_commit_callbacks(execute=True):
        banner.save_revision().publish()
    [message] = mail.outbox
    assert message.to == ["bergerac@example.org"]
    assert message.subject == "[Bergerac] Alerte : Route fermée"
    assert "La D660 est fermée jusqu'à 18 h." in message.body
    assert "/alertes/desabonner/" in message.body

    # Saved again, seen again by the scheduler: nothing is sent twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        banner.save_revision().publish()
    call_command("send_alerts", stdout=StringIO())
    assert mail.outbox == []


def test_a_banner_on_lalinde_or_not_urgent_sends_nothing_to_bergerac(
    bergerac, lalinde, two_subscribers
):
    urgent_banner("Marché annulé", lalinde.site)
    urgent_banner("Fête du village", bergerac.site, level=Banner.Level.IMPORTANT)
    send_alerts()
    assert [m.to for m in mail.outbox] == [["lalinde@example.org"]]


def test_a_pays_wide_urgent_banner_reaches_every_commune_and_an_epci_s_its_members(
    bergerac, two_subscribers
):
    urgent_banner("Vigilance orange orages")
    send_alerts()
    assert sorted(m.to[0] for m in mail.outbox) == ["bergerac@example.org", "lalinde@example.org"]
    mail.outbox.clear()
    urgent_banner("Déchetterie fermée", epci=bergerac.epci)
    send_alerts()
    assert [m.to for m in mail.outbox] == [["bergerac@example.org"]]


def test_a_banner_starting_later_goes_out_when_it_shows(bergerac, two_subscribers):
    start = timezone.now() + datetime.timedelta(hours=2)
    urgent_banner("Coupure d'électricité", bergerac.site, start=start)
    assert send_alerts().sent == 0
    report = send_alerts(now=start + datetime.timedelta(minutes=1))
    assert report.sent == 1 and [m.to for m in mail.outbox] == [["bergerac@example.org"]]


def test_a_new_council_meeting_is_announced_to_those_who_asked_for_meetings(
    resident, bergerac, django_capture_on_commit_callbacks
):
    confirmed(resident, "tout@example.org")
    confirmed(resident, "urgences@example.org", meetings="")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = publish_meeting(bergerac)
    [message] = mail.outbox
    assert message.to == ["tout@example.org"]
    when = timezone.localtime(meeting.date)
    assert message.subject.startswith("[Bergerac] Alerte : séance du conseil le ")
    assert str(when.day) in message.subject
    assert "Salle des fêtes" in message.body
    assert meeting.url_path.rstrip("/").rsplit("/", 1)[-1] in message.body
    # The urgent-only subscriber gets banners.
    mail.outbox.clear()
    urgent_banner("Inondation", bergerac.site)
    send_alerts()
    assert sorted(m.to[0] for m in mail.outbox) == ["tout@example.org", "urgences@example.org"]


def test_meetings_announced_before_the_subscription_are_not_news(resident, bergerac):
    publish_meeting(bergerac)
    confirmed(resident)
    assert send_alerts().sent == 0


def test_after_unsubscribing_the_next_banner_is_not_received(resident, bergerac):
    confirmed(resident)
    urgent_banner("Tempête", bergerac.site)
    send_alerts()
    stop = link(mail.outbox[0], "desabonner")
    resident.post(stop)
    mail.outbox.clear()
    urgent_banner("Tempête, suite", bergerac.site)
    assert send_alerts().sent == 0 and mail.outbox == []
    assert not Subscription.objects.exists() and not SentAlert.objects.exists()


def test_a_failed_email_is_tried_again_at_the_next_run(resident, bergerac, settings):
    confirmed(resident)
    urgent_banner("Tempête", bergerac.site)
    settings.EMAIL_BACKEND = "alerts.tests.test_sending.RefusingBackend"
    report = send_alerts()
    assert report.sent == 0 and len(report.failed) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_alerts().sent == 1


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_the_scheduler_sends_every_minute_and_purges_daily():
    from pathlib import Path

    entrypoint = Path(__file__).resolve().parents[2] / "bin" / "docker-entrypoint.sh"
    scheduler = entrypoint.read_text().split("  scheduler)", 1)[1].split(";;", 1)[0]
    every_minute, daily = scheduler.split('if [ "$(date +%F)"', 1)
    assert "python manage.py send_alerts" in every_minute
    assert "python manage.py purge_alert_subscriptions" in daily.split("\n      fi\n", 1)[0]
