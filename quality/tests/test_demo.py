"""The « done when » of the checker: on the demo's content, the planted broken link and
image without alternative text are reported, with no network at all."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communes.models import Collectivite
from conftest import host_client
from quality.models import LinkIssue


def test_check_links_reports_the_links_planted_in_the_demo(bergerac, lalinde):
    from sitefactory.services.demo_content import create_demo_content

    create_demo_content(Collectivite.objects.filter(pk__in=[bergerac.pk, lalinde.pk]))
    out = StringIO()
    call_command("check_links", "--site", bergerac.hostname, "--internal-only", stdout=out)

    text = out.getvalue()
    assert "/actualites/programme-fete-du-village/" in text
    assert "IMG_2041.jpg" in text
    planted = LinkIssue.objects.get(
        site_id=bergerac.site_id,
        url=f"http://{bergerac.hostname}/actualites/programme-fete-du-village/",
    )
    assert (planted.kind, planted.label, planted.detail) == (
        LinkIssue.Kind.BROKEN_LINK,
        "programme de la fête",
        "page introuvable",
    )
    assert planted.page.title == "Retour sur la fête du village"
    news = host_client(bergerac.hostname).get("/actualites/retour-fete-du-village/")
    assert news.status_code == 200 and "programme de la fête" in news.content.decode()
    # Planted on Bergerac only; the demo's own documents have text.
    call_command("check_links", "--site", lalinde.hostname, "--internal-only", stdout=StringIO())
    assert not LinkIssue.objects.filter(site_id=lalinde.site_id).exists()


def test_check_links_refuses_an_unknown_site(communes):
    with pytest.raises(CommandError, match="Site inconnu"):
        call_command("check_links", "--site", "nulle-part.pays.test", stdout=StringIO())


def test_check_links_dry_run_says_so_and_keeps_nothing(bergerac):
    out = StringIO()
    call_command(
        "check_links", "--site", bergerac.hostname, "--internal-only", "--dry-run", stdout=out
    )
    assert out.getvalue().strip().endswith("(simulation)")
    assert not LinkIssue.objects.exists()
