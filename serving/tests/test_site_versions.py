"""Each site has its own content version: a publication on Lalinde never cools Bergerac.

A publication bumps the sites it shows on (its own, and the portal, which gathers what the
communes publish); what every site shows (the registry, the directory) bumps the Pays-wide
version; the sites themselves (hostnames, home pages, languages) the structure, under which
alone Wagtail's site root paths are kept.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communes.models import NewsPage
from conftest import COMMUNE_A, COMMUNE_B, host_client
from serving import cache as content_cache
from serving.cache import Change, on_change
from sitefactory.models import ProvisionedPage

pytestmark = pytest.mark.django_db


def provisioned(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def publish_news(collectivite, title):
    listing = provisioned(collectivite, "actualites")
    news = listing.add_child(instance=NewsPage(title=title, date=timezone.localdate()))
    news.save_revision().publish()
    return news


class Changes(list):
    """The changes notified at commit; the test's transaction never commits, so `committed()`
    runs the commit callbacks of what is done within it."""

    def __init__(self, capture):
        super().__init__()
        self.committed = lambda: capture(execute=True)


@pytest.fixture
def changes(django_capture_on_commit_callbacks):
    seen = Changes(django_capture_on_commit_callbacks)
    on_change(seen.append)
    yield seen
    content_cache._listeners.remove(seen.append)


def warm(client, *paths):
    for path in paths:
        assert client.get(path).status_code == 200, path
        assert client.get(path).status_code == 200, path


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_publication_elsewhere_leaves_bergerac_warm(communes):
    bergerac, lalinde = communes[COMMUNE_A], communes[COMMUNE_B]
    client = host_client(bergerac.hostname)
    paths = ("/", "/mairie/", "/actualites/")
    warm(client, *paths)
    warm_counts = {path: queries(client, path) for path in paths}
    publish_news(lalinde, "Travaux rue du port")
    # As warm as before: the budget is 5 queries for the first request after a
    # publication on another site.
    after = {path: queries(client, path) for path in paths}
    assert after == warm_counts
    assert max(after.values()) <= 5
    assert (
        "Travaux rue du port" in host_client(lalinde.hostname).get("/actualites/").content.decode()
    )


def test_a_publication_shows_at_once_on_its_site_and_on_the_portal(communes, changes):
    bergerac = communes[COMMUNE_A]
    warm(host_client(bergerac.hostname), "/actualites/")
    changes.clear()
    with changes.committed():
        publish_news(bergerac, "Fête de la musique à Bergerac")
    assert "Fête de la musique à Bergerac" in (
        host_client(bergerac.hostname).get("/actualites/").content.decode()
    )
    from serving.pages import default_site

    (change,) = set(changes)  # the same change, once per bump of the publication
    assert change == Change(frozenset({bergerac.site_id, default_site().pk}), False)


def test_a_draft_saved_changes_nothing_visitors_see(communes, changes):
    mairie = provisioned(communes[COMMUNE_A], "mairie")
    changes.clear()
    mairie.title = "Brouillon"
    with changes.committed():
        mairie.save_revision()
    assert changes == []


def test_a_pays_wide_change_reaches_every_site(communes, changes, django_assert_max_num_queries):
    from communes.models import Collectivite

    bergerac, lalinde = communes[COMMUNE_A], communes[COMMUNE_B]
    warm(host_client(bergerac.hostname), "/")
    changes.clear()
    with changes.committed():
        Collectivite.objects.get(pk=lalinde.pk).save()
    assert changes and all(change.pays for change in changes)
    with django_assert_max_num_queries(100):  # cold again
        assert host_client(bergerac.hostname).get("/").status_code == 200
    with django_assert_max_num_queries(0):
        assert host_client(bergerac.hostname).get("/").status_code == 200


def test_a_sites_banner_bumps_that_site_only(communes, changes):
    from communes.models import Banner

    bergerac = communes[COMMUNE_A]
    changes.clear()
    with changes.committed():
        Banner.objects.create(
            site_id=bergerac.site_id,
            title="Coupure d'eau",
            start=timezone.now() - timezone.timedelta(hours=1),
            end=timezone.now() + timezone.timedelta(days=1),
        )
    assert set(changes) == {Change(frozenset({bergerac.site_id}), False)}
    assert "Coupure d&#x27;eau" in host_client(bergerac.hostname).get("/").content.decode() or (
        "Coupure d'eau" in host_client(bergerac.hostname).get("/").content.decode()
    )


def test_the_site_root_paths_outlive_content_changes(communes, django_assert_max_num_queries):
    from serving.pages import site_root_paths

    before = site_root_paths()
    publish_news(communes[COMMUNE_B], "Rien à voir avec les sites")
    with django_assert_max_num_queries(0):
        assert site_root_paths() is before


def test_urls_are_built_from_the_pages_own_site(communes):
    from serving.pages import site_root_paths

    paths = site_root_paths()
    news = publish_news(communes[COMMUNE_A], "Une actualité")
    news._wagtail_cached_site_root_paths = paths
    found = news._get_relevant_site_root_paths(news)
    assert found == tuple(p for p in paths if news.url_path.startswith(p.root_path))
    # Commune home pages sit below the portal's: Wagtail's order puts the deepest root first.
    assert found[0].site_id == communes[COMMUNE_A].site_id
    assert news.get_url_parts()[0] == communes[COMMUNE_A].site_id


def test_a_lease_spares_the_round_trip_and_a_process_sees_its_own_changes(settings, communes):
    settings.CONTENT_VERSION_LEASE = 60
    content_cache.forget_process_memory()
    site = communes[COMMUNE_A].site_id
    scope = content_cache.site_key(site)
    first = content_cache.read_versions([scope])[scope]
    # Another process bumps Bergerac: this one trusts its lease…
    cache.set(content_cache.KEY_PREFIX + scope, "from-another-process", None)
    assert content_cache.read_versions([scope])[scope] == first
    # …but a bake reads the versions afresh,
    assert "from-another-process" in content_cache.bake_key(site)
    # and this process's own change is seen at once.
    content_cache.bump_sites({site})
    assert content_cache.read_versions([scope])[scope] not in (first, "from-another-process")
