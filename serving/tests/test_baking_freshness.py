"""Baked pages are never staler than the content: a committed change withdraws the sites'
files at once, and the bake that follows shows the change (BAKING_ENABLED, the background
bake run here by schedule.run_pending())."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import Site

from communes.models import Banner, NewsPage, StandardPage
from conftest import COMMUNE_A, COMMUNE_B
from serving import cache as serving_cache
from serving.baking import schedule
from serving.baking.engine import bake_site
from serving.tests.baking_helpers import baked, manifest, site_dir
from sitefactory.models import ProvisionedPage


def provisioned(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def bake_everything():
    for site in Site.objects.all():
        bake_site(site)


def change(capture, action):
    """Run `action` as an editor's request would (committed), check that the changed site
    is withdrawn at commit, then bake what is pending."""
    with capture(execute=True):
        action()
    host = change.host
    assert not site_dir(host).exists(), "the site's files outlived the change"
    results = schedule.run_pending()
    assert results, "nothing was scheduled"
    assert site_dir(host).exists()


@pytest.fixture
def bergerac_baked(communes, baking_on):
    """Every site baked, Bergerac's the one `change` checks: what each test then changes."""
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    change.host = a.hostname
    bake_everything()
    return a


def test_news_published_unpublished_and_moved(bergerac_baked, django_capture_on_commit_callbacks):
    a = bergerac_baked
    index = provisioned(a, "actualites")
    assert "Réunion du comité des fêtes" not in baked(a.hostname, "/")
    holder = {}

    def publish():
        news = index.add_child(
            instance=NewsPage(title="Réunion du comité des fêtes", slug="comite")
        )
        news.save_revision().publish()
        holder["news"] = news

    change(django_capture_on_commit_callbacks, publish)
    assert "Réunion du comité des fêtes" in baked(a.hostname, "/")
    assert "Réunion du comité des fêtes" in baked(a.hostname, "/actualites/")
    assert "Réunion du comité des fêtes" in baked(a.hostname, "/actualites/rss/")
    assert "/actualites/comite/" in manifest(a.hostname)["pages"]
    assert "/actualites/comite/</loc>" in baked(a.hostname, "/sitemap.xml")

    mairie = provisioned(a, "mairie")
    change(django_capture_on_commit_callbacks, lambda: holder["news"].move(mairie, "last-child"))
    pages = manifest(a.hostname)["pages"]
    assert "/actualites/comite/" not in pages
    assert "/mairie/comite/" in pages
    assert "Réunion du comité des fêtes" not in baked(a.hostname, "/actualites/")

    change(
        django_capture_on_commit_callbacks,
        lambda: NewsPage.objects.get(pk=holder["news"].pk).unpublish(),
    )
    assert "/mairie/comite/" not in manifest(a.hostname)["pages"]
    assert "Réunion du comité des fêtes" not in baked(a.hostname, "/")
    assert "/comite/</loc>" not in baked(a.hostname, "/sitemap.xml")


def test_a_page_added_to_the_menu_shows_in_every_baked_page(
    bergerac_baked, django_capture_on_commit_callbacks
):
    a = bergerac_baked
    home = a.home_page.specific

    def add():
        page = home.add_child(
            instance=StandardPage(title="Marchés publics", slug="marches", show_in_menus=True)
        )
        page.save_revision().publish()

    change(django_capture_on_commit_callbacks, add)
    data = manifest(a.hostname)
    html_pages = [p for p, e in data["pages"].items() if e["type"].startswith("text/html")]
    assert len(html_pages) > 10
    for path in html_pages:
        menu = baked(a.hostname, path).split('<ul class="menu">')[1].split("</ul>")[0]
        assert 'href="/marches/"' in menu and "Marchés publics" in menu, path


def test_a_banner_and_a_theme(bergerac_baked, django_capture_on_commit_callbacks):
    from themes.models import ThemeSettings

    a = bergerac_baked
    now = timezone.now()
    end = now + datetime.timedelta(hours=5)

    def banner():
        Banner.objects.create(
            title="Vente de terrains à bâtir", site_id=a.site_id, start=now, end=end, live=True
        )

    change(django_capture_on_commit_callbacks, banner)
    assert "Vente de terrains à bâtir" in baked(a.hostname, "/mairie/")
    # The banner's end is when the files expire (or midnight, whichever comes first).
    until = datetime.datetime.fromisoformat(manifest(a.hostname)["valid_until"])
    assert until <= end

    def theme():
        ThemeSettings.objects.create(site_id=a.site_id, theme="vignoble", primary_color="#5a1020")

    change(django_capture_on_commit_callbacks, theme)
    # The tokens are a stylesheet of their own, baked beside the pages under a new name.
    sheet = re.search(r'href="(/theme/[0-9a-f]{16}\.css)"', baked(a.hostname, "/")).group(1)
    assert "--color-primary:#5a1020" in baked(a.hostname, sheet)


def test_a_change_of_one_site_withdraws_that_site_only(communes, baking_on):
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    a.refresh_from_db()
    b.refresh_from_db()
    bake_site(Site.objects.get(pk=a.site_id))
    bake_site(Site.objects.get(pk=b.site_id))
    b_files = manifest(b.hostname)
    serving_cache._notify(serving_cache.Change(frozenset({a.site_id}), False))
    assert not site_dir(a.hostname).exists()
    assert manifest(b.hostname) == b_files
    assert schedule._baker.pending == {a.site_id}
    [result] = schedule.run_pending()
    assert result.host == a.hostname and result.swapped
    assert manifest(b.hostname) == b_files
    # A Pays-wide change withdraws every site and bakes them all again.
    serving_cache._notify(serving_cache.Change(frozenset(), True))
    assert not site_dir(a.hostname).exists() and not site_dir(b.hostname).exists()
    assert schedule._baker.pending == {schedule.ALL}


def test_a_directory_entry_added_edited_and_archived(
    bergerac_baked, django_capture_on_commit_callbacks
):
    """The directory is Pays-wide: every site is withdrawn and baked again."""
    from directory.models import ServiceEntry
    from directory.tests.test_visitors import make_entry

    a = bergerac_baked
    assert "Pharmacie des Bastides" not in baked(a.hostname, "/services/")
    holder = {}

    def add():
        holder["entry"] = make_entry("Pharmacie des Bastides", "sante", a, 0.3)

    change(django_capture_on_commit_callbacks, add)
    assert "Pharmacie des Bastides" in baked(a.hostname, "/services/")

    def rename():
        holder["entry"].name = "Pharmacie du Pont"
        holder["entry"].save()

    change(django_capture_on_commit_callbacks, rename)
    services = baked(a.hostname, "/services/")
    assert "Pharmacie du Pont" in services and "Pharmacie des Bastides" not in services

    def archive():
        holder["entry"].status = ServiceEntry.Status.ARCHIVED
        holder["entry"].save()

    change(django_capture_on_commit_callbacks, archive)
    assert "Pharmacie du Pont" not in baked(a.hostname, "/services/")
