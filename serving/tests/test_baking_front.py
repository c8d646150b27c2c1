"""End to end: the baking engine writes a site, the shipped nginx front (tests/front.py)
serves every page of it from the files without asking Django, and a publish shows through
the front once its bake is done."""

import brotli
from wagtail.models import Site

from communes.models import StandardPage
from conftest import COMMUNE_A, COMMUNE_B
from serving.baking import schedule
from serving.baking.engine import bake_site
from serving.tests.baking_helpers import baked, manifest
from tests.front import Nginx, Upstream


def test_nginx_serves_a_real_bake_and_a_publish_after_its_bake(
    communes, baking_on, settings, tmp_path, django_capture_on_commit_callbacks
):
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    a.refresh_from_db()
    b.refresh_from_db()
    upstream = Upstream()
    upstream.start()
    nginx = Nginx(tmp_path / "front", upstream.port)
    # The engine and nginx share one baked root, as the compose's `baked` volume does.
    settings.BAKED_ROOT = nginx.baked_root
    for collectivite in (a, b):
        assert bake_site(Site.objects.get(pk=collectivite.site_id)).swapped
    nginx.start()
    try:
        pages = manifest(a.hostname)["pages"]
        assert {"/", "/sitemap.xml"} <= set(pages)
        assert any(entry["type"].startswith("application/rss") for entry in pages.values())
        for path in pages:
            response = nginx.request("GET", path, a.hostname, {"Accept-Encoding": "br"})
            assert response.status == 200, path
            assert response.getheader("Content-Encoding") == "br", path
            assert brotli.decompress(response.content).decode() == baked(a.hostname, path)
            immutable = "immutable" in response.getheader("Cache-Control")
            assert immutable == path.startswith("/theme/"), path
        assert upstream.seen == [], "a baked page was passed to Django"
        assert any(path.startswith("/theme/") for path in pages)
        # A stylesheet under another name (a page kept from before a change of colours).
        nginx.request("GET", "/theme/0123456789abcdef.css", a.hostname)
        assert [seen["path"] for seen in upstream.seen] == ["/theme/0123456789abcdef.css"]
        upstream.seen.clear()

        home = a.home_page.specific
        with django_capture_on_commit_callbacks(execute=True):
            page = home.add_child(
                instance=StandardPage(
                    title="Vente de terrains", slug="terrains", show_in_menus=True
                )
            )
            page.save_revision().publish()
        # Withdrawn at commit: until its bake, the site's pages are Django's, fresh.
        nginx.request("GET", "/", a.hostname)
        assert len(upstream.seen) == 1
        # Lalinde's files were not touched by Bergerac's publish.
        nginx.request("GET", "/", b.hostname)
        assert len(upstream.seen) == 1
        schedule.run_pending()
        response = nginx.request("GET", "/terrains/", a.hostname)
        assert response.status == 200 and "Vente de terrains" in response.content.decode()
        assert "Vente de terrains" in nginx.request("GET", "/", a.hostname).content.decode()
        assert len(upstream.seen) == 1
    finally:
        nginx.stop()
        upstream.stop()
