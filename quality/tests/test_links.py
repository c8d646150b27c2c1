"""The checker on the shared communes' sites: links within the Pays without HTTP, outside
links through a small site on 127.0.0.1, and what a run leaves in LinkIssue."""

import pytest

from quality.models import CheckedUrl, LinkIssue
from quality.services import links
from quality.services.fetching import Checker, Outcome
from quality.tests.conftest import add_page, image, site_of
from quality.tests.server import OutsideSite

BROKEN = LinkIssue.Kind.BROKEN_LINK


class Recording:
    """Stands for the HTTP checker: records what it is asked, answers nothing."""

    def __init__(self):
        self.asked = []

    def check_many(self, urls):
        self.asked += urls
        return {}


@pytest.fixture(scope="module")
def outside():
    with OutsideSite() as server:
        yield server


class LocalOnly(Checker):
    """The real checker, kept off the internet: the blueprint's service-public.fr links are
    answered "not checked" without even a DNS lookup."""

    def check_many(self, urls):
        local = [url for url in urls if url.startswith("http://127.0.0.1:")]
        others = {url: Outcome(url, None, None, "test") for url in urls if url not in local}
        return {**super().check_many(local), **others}


@pytest.fixture
def checker():
    return LocalOnly(timeout=(1, 0.5), delay=0, workers=2, max_redirects=3, allow_private=True)


def broken(site):
    return {
        (issue.url, issue.detail)
        for issue in LinkIssue.objects.filter(site=site, kind=BROKEN).order_by("url")
    }


def test_links_within_the_pays_are_checked_without_any_request(bergerac, lalinde):
    page = add_page(
        bergerac,
        "liens",
        intro=(
            '<p><a linktype="page" id="987654">une page effacée</a> '
            '<a href="/nulle-part/">un chemin</a> <a href="/actualites/">les actualités</a> '
            f'<a href="http://{lalinde.hostname}/disparu/">chez Lalinde</a> '
            f'<a href="http://{lalinde.hostname}/">Lalinde</a> '
            '<a linktype="document" id="987655">un PV</a> <a href="mailto:a@b.fr">écrire</a></p>'
        ),
    )
    site = site_of(bergerac)
    recording = Recording()
    report = links.check_site(site, checker=recording)

    assert not report.error
    # Only the blueprint's service-public.fr links went to the HTTP checker.
    assert recording.asked
    assert all(url.startswith("https://www.service-public.fr/") for url in recording.asked)
    assert broken(site) == {
        ("page 987654", "page supprimée"),
        (f"{site.root_url}/nulle-part/", "page introuvable"),
        (f"http://{lalinde.hostname}/disparu/", "page introuvable"),
        ("document 987655", "document supprimé"),
    }
    row = LinkIssue.objects.get(site=site, url="page 987654")
    assert (row.page_id, row.label) == (page.pk, "une page effacée")


def test_a_link_to_an_unpublished_page_is_broken(bergerac):
    hidden = add_page(bergerac, "brouillon")
    hidden.unpublish()
    add_page(bergerac, "lien-brouillon", intro=f'<p><a linktype="page" id="{hidden.pk}">x</a></p>')
    site = site_of(bergerac)
    links.check_site(site, external=False)
    assert (f"page {hidden.pk}", "page non publiée") in broken(site)


def test_outside_links_are_requested_once_and_the_broken_ones_reported(
    bergerac, lalinde, outside, checker
):
    missing, fine = outside.url("/missing?t=1"), outside.url("/ok?t=1")
    intro = f'<p><a href="{missing}">A</a> <a href="{fine}">B</a></p>'
    for commune in (bergerac, lalinde):
        add_page(commune, "dehors", intro=intro)

    reports = links.check_sites([site_of(bergerac), site_of(lalinde)], checker=checker)

    assert [r.error for r in reports] == ["", ""], reports
    for commune in (bergerac, lalinde):
        issue = LinkIssue.objects.get(site_id=commune.site_id, kind=BROKEN)
        assert (issue.url, issue.status_code, issue.label) == (missing, 404, "A")
    # One request each, for two sites.
    assert outside.paths("HEAD").count("/missing?t=1") == 1
    assert CheckedUrl.objects.get(url=fine).ok is True

    links.check_site(site_of(bergerac), checker=checker)
    assert outside.paths("HEAD").count("/missing?t=1") == 1  # checked hours ago: not again
    assert LinkIssue.objects.filter(site_id=bergerac.site_id, kind=BROKEN).count() == 1


def test_a_rerun_keeps_what_is_still_broken_and_forgets_what_was_fixed(bergerac):
    page = add_page(
        bergerac, "a-corriger", intro='<p><a href="/vieux/">vieux</a> <a href="/ancien/">a</a></p>'
    )
    site = site_of(bergerac)
    links.check_site(site, external=False)
    first = LinkIssue.objects.get(site=site, url=f"{site.root_url}/vieux/")

    page.intro = '<p><a href="/vieux/">vieux</a> <a href="/actualites/">corrigé</a></p>'
    page.save()
    report = links.check_site(site, external=False)

    again = LinkIssue.objects.get(site=site, url=f"{site.root_url}/vieux/")
    assert again.pk == first.pk and again.first_seen == first.first_seen
    assert again.last_seen > first.last_seen
    assert not LinkIssue.objects.filter(site=site, url=f"{site.root_url}/ancien/").exists()
    assert (report.added, report.removed) == (0, 1)


def test_a_dry_run_reports_and_writes_nothing(bergerac):
    add_page(bergerac, "essai", intro='<p><a href="/inexistant/">x</a></p>')
    report = links.check_site(site_of(bergerac), external=False, dry_run=True)
    assert report.issues[BROKEN] == 1
    assert not LinkIssue.objects.exists()


def test_a_site_that_fails_leaves_the_others_checked_and_saved(bergerac, lalinde, monkeypatch):
    add_page(lalinde, "casse", intro='<p><a href="/inexistant/">x</a></p>')
    add_page(bergerac, "casse", intro='<p><a href="/inexistant/">x</a></p>')
    real = links.site_issues

    def failing(state, outcomes):
        if state.site.pk == bergerac.site_id:
            raise RuntimeError("disque plein")
        return real(state, outcomes)

    monkeypatch.setattr(links, "site_issues", failing)
    reports = links.check_sites([site_of(bergerac), site_of(lalinde)], external=False)

    assert "disque plein" in reports[0].error and not reports[1].error
    assert not LinkIssue.objects.filter(site_id=bergerac.site_id).exists()
    assert LinkIssue.objects.filter(site_id=lalinde.site_id, url__endswith="/inexistant/").exists()


def test_an_image_in_a_streamfield_whose_image_was_deleted_is_a_broken_link(bergerac):
    picture = image(bergerac, "Lavoir", description="Le lavoir")
    body = [{"type": "image", "value": {"image": picture.pk, "caption": ""}}]
    add_page(bergerac, "galerie", body=body)
    picture_id = picture.pk
    picture.delete()
    site = site_of(bergerac)
    links.check_site(site, external=False)
    assert (f"image {picture_id}", "image supprimée") in broken(site)


def test_a_quick_link_of_the_home_page_to_a_deleted_page_is_broken(bergerac):
    gone = add_page(bergerac, "ephemere")
    home = bergerac.home_page.specific
    home.quick_links = [{"type": "link", "value": {"page": gone.pk, "label": "Éphémère"}}]
    home.save()
    gone_id = gone.pk
    gone.delete()
    site = site_of(bergerac)
    links.check_site(site, external=False)
    row = LinkIssue.objects.get(site=site, url=f"page {gone_id}")
    assert (row.page_id, row.label, row.detail) == (home.pk, "Éphémère", "page supprimée")


def test_a_communes_page_is_checked_with_its_own_site_not_with_the_portal(bergerac, pays):
    add_page(bergerac, "casse", intro='<p><a href="/inexistant/">x</a></p>')
    portal = site_of(pays)
    report = links.check_site(portal, external=False)
    assert not report.error and report.pages < 100
    assert not LinkIssue.objects.filter(site=portal).exists()
    links.check_site(site_of(bergerac), external=False)
    assert LinkIssue.objects.filter(site_id=bergerac.site_id, url__endswith="/inexistant/").exists()


def test_when_no_outside_host_answers_at_all_outside_links_are_left_unchecked(bergerac, checker):
    add_page(bergerac, "hors-ligne", intro='<p><a href="http://nowhere.invalid/a">a</a></p>')

    class Offline(Checker):
        def check_many(self, urls):
            return {url: Outcome(url, False, None, "hôte introuvable") for url in urls}

    report = links.check_site(site_of(bergerac), checker=Offline())
    assert report.outside_unchecked and not report.error
    assert not LinkIssue.objects.filter(kind=BROKEN).exists()
    assert not CheckedUrl.objects.exists()
    assert "pas de réseau" in report.line()


def test_an_internal_only_run_keeps_the_outside_links_found_broken_before(
    bergerac, outside, checker
):
    missing = outside.url("/missing?t=keep")
    add_page(bergerac, "garde", intro=f'<p><a href="{missing}">A</a></p>')
    site = site_of(bergerac)
    links.check_site(site, checker=checker)
    links.check_site(site, external=False)
    assert LinkIssue.objects.filter(site=site, url=missing).exists()
