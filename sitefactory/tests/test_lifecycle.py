"""Archiving a collectivité's site and restoring it: offline, then back exactly as it was."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Locale, Page, PageLogEntry

from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, host_client
from sitefactory.models import ProvisioningLog
from sitefactory.services.lifecycle import (
    ARCHIVE_ACTION,
    RESTORE_ACTION,
    LifecycleError,
    archive,
    restore,
)
from sitefactory.services.provisioning import provision

MIDDLEWARE = "sitefactory.middleware.ArchivedSiteMiddleware"
AFTER = "whitenoise.middleware.WhiteNoiseMiddleware"


@pytest.fixture
def archived_site_middleware(settings):
    if MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(middleware.index(AFTER) + 1, MIDDLEWARE)
        settings.MIDDLEWARE = middleware


def content(pages):
    """Every page's own data but its online state: what archiving must not touch."""
    return {p.pk: {**p.serializable_data(), "live": None} for p in pages.specific()}


def site_pages(collectivite):
    home = Page.objects.get(pk=collectivite.home_page_id)
    return Page.objects.filter(path__startswith=home.path)


def run(command, *args):
    out = StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=StringIO())
    except SystemExit as exc:
        return out.getvalue(), exc.code
    return out.getvalue(), 0


def test_archive_then_restore_round_trip(communes):
    bergerac = communes[COMMUNE_A]
    pages = content(site_pages(bergerac))
    assert len(pages) >= 8 and site_pages(bergerac).filter(live=False).count() == 0

    outcome = archive(bergerac)

    bergerac.refresh_from_db()
    assert outcome.changed and bergerac.status == Collectivite.Status.ARCHIVED
    assert sorted(bergerac.archived_live_pages) == sorted(pages)
    assert not site_pages(bergerac).filter(live=True).exists()
    # Nothing is deleted: every page is there with its content.
    assert content(site_pages(bergerac)) == pages
    log = ProvisioningLog.objects.filter(collectivite=bergerac).first()
    assert log.result == ProvisioningLog.Result.ARCHIVED and log.blueprint == "commune"
    assert log.details == f"{len(pages)} pages mises hors ligne"
    assert PageLogEntry.objects.filter(action=ARCHIVE_ACTION, page_id__in=pages).count() == len(
        pages
    )
    # The other sites are untouched.
    lalinde = communes[COMMUNE_B]
    assert not site_pages(lalinde).filter(live=False).exists()

    outcome = restore(bergerac)

    bergerac.refresh_from_db()
    assert outcome.changed and bergerac.status == Collectivite.Status.PROVISIONED
    assert bergerac.archived_live_pages == []
    assert site_pages(bergerac).filter(live=True).count() == len(pages)
    assert content(site_pages(bergerac)) == pages
    assert ProvisioningLog.objects.filter(collectivite=bergerac).first().result == "restored"
    assert PageLogEntry.objects.filter(action=RESTORE_ACTION, page_id__in=pages).count() == len(
        pages
    )
    # A restored site is an ordinary provisioned site again: the factory has nothing to do.
    assert provision(Collectivite.objects.filter(pk=bergerac.pk)).count("unchanged") == 1


def test_page_history_tells_editors_why_their_page_went_offline(communes, pays):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    bergerac = communes[COMMUNE_A]
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    archive(bergerac, user=user)
    client = host_client(pays.hostname)
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_pages:history", args=[bergerac.home_page_id]))
    assert "Mise hors ligne : site archivé" in html.content.decode()
    assert ProvisioningLog.objects.filter(collectivite=bergerac).first().user == user


def test_a_page_offline_before_archiving_stays_offline_after_restore(communes):
    bergerac = communes[COMMUNE_A]
    draft = site_pages(bergerac).get(slug="vie-locale").specific
    draft.unpublish()

    archive(bergerac)
    restore(bergerac)

    assert not Page.objects.get(pk=draft.pk).live
    assert site_pages(bergerac).filter(live=False).count() == 1


def test_translations_go_offline_and_come_back_with_the_site(communes):
    bergerac = communes[COMMUNE_A]
    home = Page.objects.get(pk=bergerac.home_page_id)
    english = home.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()

    archive(bergerac)
    assert not Page.objects.get(pk=english.pk).live
    restore(bergerac)
    assert Page.objects.get(pk=english.pk).live


def test_archived_site_middleware_is_installed():
    assert MIDDLEWARE in settings.MIDDLEWARE, (
        f"add {MIDDLEWARE!r} to MIDDLEWARE, after {AFTER!r}, so archived sites answer 410 "
        "instead of 404"
    )


def test_archived_site_answers_410_then_200_after_restore(
    communes, portal_client, archived_site_middleware
):
    bergerac = communes[COMMUNE_A]
    client = host_client(bergerac.hostname)
    assert client.get("/").status_code == 200

    archive(bergerac)

    for url in ("/", "/mairie/", "/en/", "/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 410, url
        assert "Ce site est archivé" in response.content.decode()
    assert "Bergerac" in client.get("/").content.decode()
    # The admin stays reachable, the other sites and the portal stay online.
    assert client.get("/admin/login/").status_code == 200
    assert host_client(communes[COMMUNE_B].hostname).get("/").status_code == 200
    assert portal_client.get("/").status_code == 200
    assert host_client("inconnu.pays.test").get("/").status_code == 400

    restore(bergerac)

    assert client.get("/").status_code == 200
    assert client.get("/mairie/").status_code == 200


def test_page_published_again_inside_an_archived_site_stays_gone(communes, portal_client):
    bergerac = communes[COMMUNE_A]
    archive(bergerac)
    mairie = site_pages(bergerac).get(slug="mairie").specific
    mairie.save_revision().publish()

    # Reached below the portal, on the Pays' own hostname, the page is still gone.
    response = portal_client.get("/communes/bergerac/mairie/")
    assert response.status_code == 410
    assert "Ce site est archivé" in response.content.decode()


def test_archiving_and_restoring_twice_is_a_no_op_that_says_so(communes):
    bergerac = communes[COMMUNE_A]
    archive(bergerac)
    again = archive(bergerac)
    assert not again.changed and "déjà archivée" in again.message
    restore(bergerac)
    again = restore(bergerac)
    assert not again.changed and "n'est pas archivée" in again.message
    results = list(
        ProvisioningLog.objects.filter(collectivite=bergerac).values_list("result", flat=True)
    )
    assert results[:2] == ["restored", "archived"] and results.count("archived") == 1


def test_the_pays_cannot_be_archived_nor_a_site_that_never_existed(communes, pays):
    with pytest.raises(LifecycleError, match="portail du Pays"):
        archive(pays)
    assert Collectivite.objects.get(pk=pays.pk).status == Collectivite.Status.PROVISIONED
    never = Collectivite.objects.filter(status=Collectivite.Status.TO_PROVISION).first()
    with pytest.raises(LifecycleError, match="jamais été provisionnée"):
        archive(never)
    with pytest.raises(LifecycleError, match="jamais été provisionnée"):
        restore(never)
    assert (
        not ProvisioningLog.objects.filter(collectivite__in=[pays, never])
        .exclude(result="created")
        .exists()
    )


def test_provisioning_leaves_an_archived_site_offline(communes):
    bergerac = communes[COMMUNE_A]
    archive(bergerac)
    provision(Collectivite.objects.filter(pk=bergerac.pk))
    bergerac.refresh_from_db()
    assert bergerac.status == Collectivite.Status.ARCHIVED
    assert not site_pages(bergerac).filter(live=True).exists()


def test_archive_and_restore_commands(communes):
    output, status = run("archive", COMMUNE_A, COMMUNE_B.lower())
    assert status == 0
    assert output.splitlines() == [
        f"{COMMUNE_A} Bergerac : archivée : {site_pages(communes[COMMUNE_A]).count()} pages "
        "mises hors ligne",
        f"{COMMUNE_B} Lalinde : archivée : {site_pages(communes[COMMUNE_B]).count()} pages "
        "mises hors ligne",
    ]
    output, status = run("archive", COMMUNE_A)
    assert (output.strip(), status) == (f"{COMMUNE_A} Bergerac : déjà archivée : rien à faire", 0)

    output, status = run("archive", "PAYS", COMMUNE_A)
    assert status == 1
    assert "PAYS" in output and "ne peut pas être archivé" in output
    assert "déjà archivée" in output

    output, status = run("restore", COMMUNE_A, COMMUNE_B)
    assert status == 0 and output.count("restaurée") == 2
    assert not Collectivite.objects.filter(status=Collectivite.Status.ARCHIVED).exists()

    with pytest.raises(CommandError, match="99999"):
        run("restore", "99999")
