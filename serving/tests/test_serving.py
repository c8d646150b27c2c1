"""Pages served from memory (serving.pages) are never staler than the content.

Each test warms the memory with a first view, changes the content the way editors do, and
checks what the next visitor gets.
"""

from django.utils import timezone
from wagtail.models import PageViewRestriction

from communes.models import EventPage, NewsPage
from conftest import COMMUNE_A, COMMUNE_B, clear_caches, host_client
from serving.cache import content_version
from sitefactory.models import ProvisionedPage


def provisioned(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def test_a_page_view_costs_at_most_ten_queries_once_warm(communes, django_assert_max_num_queries):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    for path in ("/", "/mairie/", "/actualites/", "/agenda/", "/contact/", "/plan-du-site/"):
        # Warm: after the first view of each path.
        assert client.get(path).status_code == 200, path
        assert client.get(path).status_code == 200, path
        with django_assert_max_num_queries(10):
            assert client.get(path).status_code == 200, path


def test_an_edit_published_shows_at_once(communes):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    mairie = provisioned(a, "mairie")
    assert client.get("/mairie/").status_code == 200
    mairie.title = "La mairie de Bergerac, rénovée"
    mairie.save_revision().publish()
    assert "<h1>La mairie de Bergerac, rénovée</h1>" in client.get("/mairie/").content.decode()


def test_an_unpublished_or_renamed_page_is_gone_from_its_old_address(communes):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    mairie = provisioned(a, "mairie")
    assert client.get("/mairie/").status_code == 200
    mairie.slug = "hotel-de-ville"
    mairie.save_revision().publish()
    assert client.get("/mairie/").status_code == 404
    assert client.get("/hotel-de-ville/").status_code == 200
    mairie.refresh_from_db()
    mairie.unpublish()
    assert client.get("/hotel-de-ville/").status_code == 404


def test_a_page_made_private_is_no_longer_shown_to_visitors(communes):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    index = provisioned(a, "actualites")
    news = index.add_child(instance=NewsPage(title="Réunion du comité des fêtes", slug="comite"))
    news.save_revision().publish()
    assert "Réunion du comité des fêtes" in client.get("/").content.decode()
    assert client.get("/actualites/comite/").status_code == 200
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/actualites/comite/")
    assert response.status_code == 302 and "/_util/login/" in response["Location"]
    assert "Réunion du comité des fêtes" not in client.get("/").content.decode()
    assert "Réunion du comité des fêtes" not in client.get("/actualites/").content.decode()


def test_each_site_is_served_its_own_pages(communes):
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    a.refresh_from_db()
    b.refresh_from_db()
    for collectivite in (a, b, a):
        html = host_client(collectivite.hostname).get("/mairie/").content.decode()
        assert f"— {collectivite.site.site_name}</title>" in html


def test_events_that_end_leave_the_home_page_without_any_edit(communes, monkeypatch):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    agenda = provisioned(a, "agenda")
    start = timezone.now() + timezone.timedelta(minutes=30)
    event = agenda.add_child(
        instance=EventPage(
            title="Marché de nuit",
            slug="marche",
            start=start,
            end=start + timezone.timedelta(hours=1),
        )
    )
    event.save_revision().publish()
    assert "Marché de nuit" in client.get("/").content.decode()
    # Two hours later the market is over. Nobody published anything: the cache was not
    # bumped, and still the home page no longer announces it.
    later = timezone.now() + timezone.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Marché de nuit" not in client.get("/").content.decode()


def test_a_cleared_cache_never_brings_back_an_old_version():
    before = content_version()
    clear_caches()
    assert content_version() != before


def test_viewing_a_site_writes_nothing(communes):
    from themes.models import ThemeSettings

    a = communes[COMMUNE_A]
    a.refresh_from_db()
    before = content_version()
    assert host_client(a.hostname).get("/").status_code == 200
    assert not ThemeSettings.objects.filter(site_id=a.site_id).exists()
    assert content_version() == before


def test_an_image_edited_in_the_media_library_shows_at_once(communes):
    from sitefactory.services.demo_content import create_demo_content

    a = communes[COMMUNE_A]
    create_demo_content()
    a.refresh_from_db()
    client = host_client(a.hostname)
    home = a.home_page.specific
    assert home.photo is not None
    assert client.get("/").status_code == 200
    home.photo.description = "Les quais de la Dordogne au printemps"
    home.photo.save()
    assert 'alt="Les quais de la Dordogne au printemps"' in client.get("/").content.decode()
