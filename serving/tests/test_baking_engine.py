"""The baking engine (serving.baking.engine): files, manifest, what is left to Django."""

import os

import pytest
from wagtail.models import PageViewRestriction, Site

from conftest import COMMUNE_A, COMMUNE_B
from serving import cache as serving_cache
from serving.baking import layout, register_extra_paths
from serving.baking.engine import bake_site, withdraw
from serving.tests.baking_helpers import baked, manifest, site_dir
from sitefactory.models import ProvisionedPage


def provisioned(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def site_of(collectivite):
    collectivite.refresh_from_db()
    return Site.objects.get(hostname=collectivite.hostname)


def test_a_site_is_baked_to_files_with_its_manifest(communes, baked_root):
    site = site_of(communes[COMMUNE_A])
    host = site.hostname
    result = bake_site(site)
    assert result.swapped, result
    assert result.pages > 10
    data = manifest(host)
    assert data["site_id"] == site.pk
    assert data["hostname"] == host
    assert data["key"] == serving_cache.bake_key(site.pk)
    assert data["valid_until"]
    home = data["pages"]["/"]
    assert (home["file"], home["type"], home["language"]) == (
        "index.html",
        "text/html; charset=utf-8",
        "fr",
    )
    assert "<html" in baked(host, "/")
    assert data["pages"]["/mairie/"]["file"] == "mairie/index.html"
    assert "/mairie/" in data["pages"]
    # The security headers Django sent: those the same on every page in "headers", the
    # others (a policy with a nonce) with their page.
    for entry in data["pages"].values():
        if entry["type"].startswith("text/html"):
            assert "Content-Security-Policy" in {**data["headers"], **entry.get("headers", {})}
    assert data["headers"]["X-Content-Type-Options"] == "nosniff"
    # The news feed, and the sitemap: files named by their type.
    assert data["pages"]["/actualites/rss/"]["file"] == "actualites/rss/index.xml"
    assert data["pages"]["/sitemap.xml"]["file"] == "sitemap.xml"
    assert "<rss" in baked(host, "/actualites/rss/")
    # The symlink is relative, to a generation of this host.
    target = os.readlink(site_dir(host))
    assert target == f"../generations/{host}/{result.generation}"


def test_a_contact_form_is_left_to_django(communes, baked_root):
    site = site_of(communes[COMMUNE_A])
    result = bake_site(site)
    assert result.skipped["/contact/"] == "formulaire (jeton CSRF)"
    assert "/contact/" not in manifest(site.hostname)["pages"]


def test_a_private_page_is_not_baked(communes, baked_root):
    a = communes[COMMUNE_A]
    mairie = provisioned(a, "mairie")
    PageViewRestriction.objects.create(page=mairie, restriction_type="password", password="x")
    result = bake_site(site_of(a))
    assert "/mairie/" not in manifest(result.host)["pages"]
    assert "/mairie/" not in result.skipped


def test_a_new_generation_keeps_the_old_one_readable_and_two_at_most(communes, baked_root):
    site = site_of(communes[COMMUNE_A])
    first = bake_site(site)
    old_home = site_dir(site.hostname) / "index.html"
    handle = open(old_home, "rb")  # noqa: SIM115 - a reader in the middle of a request
    second = bake_site(site)
    assert handle.read().startswith(b"<!")
    handle.close()
    third = bake_site(site)
    generations = sorted(p.name for p in layout.generations_dir(site.hostname).iterdir())
    assert generations == sorted([second.generation, third.generation])
    assert first.generation not in generations
    assert os.readlink(site_dir(site.hostname)).endswith(third.generation)


def test_a_bake_overtaken_by_a_change_is_discarded(communes, baked_root):
    site = site_of(communes[COMMUNE_A])
    kept = bake_site(site)

    def change_while_baking(baked_site):
        if baked_site.pk == site.pk:
            serving_cache.bump_sites([site.pk])
        return []

    register_extra_paths(change_while_baking)
    try:
        result = bake_site(site)
    finally:
        from serving import baking

        baking._extra_paths.remove(change_while_baking)
    assert not result.swapped
    assert os.readlink(site_dir(site.hostname)).endswith(kept.generation)
    names = [p.name for p in layout.generations_dir(site.hostname).iterdir()]
    assert names == [kept.generation]


def test_registered_paths_are_baked_and_withdraw_removes_the_link(communes, baked_root):
    a, b = site_of(communes[COMMUNE_A]), site_of(communes[COMMUNE_B])
    register_extra_paths(lambda site: ["/mairie/"] if site.pk == a.pk else [])
    bake_site(a)
    bake_site(b)
    assert withdraw([a.pk]) == {a.hostname}
    assert not site_dir(a.hostname).exists()
    assert site_dir(b.hostname).exists()
    withdraw()
    assert not site_dir(b.hostname).exists()


@pytest.mark.parametrize(
    ("path", "content_type", "expected"),
    [
        ("/", "text/html; charset=utf-8", "index.html"),
        ("/a/b/", "text/html", "a/b/index.html"),
        ("/sitemap.xml", "application/xml", "sitemap.xml"),
        ("/agenda/ical/", "text/calendar", "agenda/ical/index.ics"),
        ("/x/", "application/rss+xml; charset=utf-8", "x/index.xml"),
        ("/x/", "image/png", None),
        ("/../etc/", "text/html", None),
        ("/noextension", "text/html", None),
    ],
)
def test_the_layout_of_urls_in_a_generation(path, content_type, expected):
    assert layout.file_for(path, content_type) == expected


def test_the_portal_bakes_its_own_pages_not_the_communes_below_it(communes, baked_root):
    """The communes' home pages sit below the portal's in the tree: their pages are their
    sites' to bake, not the portal's (which once rendered them all under its own host)."""
    portal = Site.objects.get(is_default_site=True)
    result = bake_site(portal)
    assert result.swapped, result
    data = manifest(portal.hostname)
    paths = set(data["pages"]) | set(data["skipped"])
    # Under the portal's host they would be /communes/<slug>/…, below its finder.
    assert not [path for path in paths if path.startswith("/communes/bergerac/")]
    assert {"/", "/communes/", "/agenda/"} <= set(data["pages"])
