"""The weekly digest: each secretary gets her own site's to-dos, in French, with direct
links; suspended accounts and sites with nothing to report get nothing."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, member
from quality.services.digest import send_digests
from quality.tasks import send_quality_digest_task
from sitefactory.services.demo_content import create_demo_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretaries(communes):
    return {
        "bergerac": member("sec-bergerac", communes[COMMUNE_A], "secretariat"),
        "lalinde": member("sec-lalinde", communes[COMMUNE_B], "secretariat"),
    }


def _mail_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_a_secretary_gets_her_own_site_todos_in_french_with_direct_links(communes, secretaries):
    report = send_digests()
    messages = _mail_to(secretaries["lalinde"].email)
    assert len(messages) == 1
    message = messages[0]
    assert message.subject == "Votre site Lalinde : ce qui reste à faire cette semaine"
    assert "Bonjour," in message.body and "Horaires d'ouverture non renseignés" in message.body
    mairie = communes[COMMUNE_B].home_page.get_children().get(slug="mairie")
    assert f"http://pays.test/admin/pages/{mairie.pk}/edit/" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://pays.test/admin/pages/{mairie.pk}/edit/"' in html
    # Only her site: nothing of Bergerac.
    assert "Bergerac" not in message.body and "Bergerac" not in html
    assert ("sec-lalinde", "sec-lalinde@example.org", ["Lalinde"]) in report.sent


def test_a_suspended_secretary_and_an_elu_get_nothing(communes, secretaries):
    secretaries["bergerac"].is_active = False
    secretaries["bergerac"].save(update_fields=["is_active"])
    elu = member("elu-lalinde", communes[COMMUNE_B], "elus")
    send_digests()
    assert not _mail_to(secretaries["bergerac"].email)
    assert not _mail_to(elu.email)
    assert _mail_to(secretaries["lalinde"].email)


def test_a_site_with_nothing_to_report_sends_nothing(communes, secretaries):
    # The demo content fills every essential of Bergerac, and its news are fresh.
    create_demo_content(Collectivite.objects.filter(pk=communes[COMMUNE_A].pk))
    report = send_digests()
    assert not _mail_to(secretaries["bergerac"].email)
    assert _mail_to(secretaries["lalinde"].email)
    assert report.nothing_to_report == 1


def test_the_dry_run_sends_nothing_and_names_who_would_get_one(communes, secretaries):
    out = StringIO()
    call_command("send_quality_digest", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert "sec-lalinde <sec-lalinde@example.org>: Lalinde" in out.getvalue()
    assert "would be sent" in out.getvalue()


def test_the_task_sends_the_digests(communes, secretaries):
    result = send_quality_digest_task.enqueue()
    assert result.return_value["sent"] == 2
    assert len(mail.outbox) == 2
    assert Collectivite.objects.filter(code=COMMUNE_A).exists()


def test_the_link_checker_findings_of_her_site_only_are_in_her_digest(communes, secretaries):
    from django.utils import timezone

    from quality.models import LinkIssue

    for code, url in ((COMMUNE_A, "https://example.org/bergerac"), (COMMUNE_B, "https://x.test/l")):
        LinkIssue.objects.create(
            site_id=communes[code].site_id,
            page=communes[code].home_page,
            kind=LinkIssue.Kind.BROKEN_LINK,
            url=url,
            last_seen=timezone.now(),
        )
    send_digests()
    body = _mail_to(secretaries["lalinde"].email)[0].body
    assert "Lien cassé : https://x.test/l" in body
    assert f"http://pays.test/admin/pages/{communes[COMMUNE_B].home_page_id}/edit/" in body
    assert "example.org/bergerac" not in body
