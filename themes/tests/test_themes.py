import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import COMMUNE_A, COMMUNE_B, host_client
from themes.contrast import contrast_ratio
from themes.models import ThemeSettings


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_a_colour_too_light_for_text_is_refused_with_a_clear_message(communes):
    settings = ThemeSettings(site_id=communes[COMMUNE_A].site_id, primary_color="#f0c040")
    with pytest.raises(ValidationError, match="Contraste insuffisant"):
        settings.full_clean()
    settings.primary_color = "pas-une-couleur"
    with pytest.raises(ValidationError, match="n'est pas une couleur"):
        settings.full_clean()
    settings.primary_color = "1a4d2e"
    settings.full_clean()
    assert settings.primary_color == "#1a4d2e"


def theme_css(client):
    """The theme stylesheet a site's home page links, as a browser fetches it."""
    html = client.get("/").content.decode()
    (href,) = re.findall(r'<link rel="stylesheet" href="(/theme/[^"]+)">', html)
    response = client.get(href)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    return html, response.content.decode()


def test_each_site_wears_its_own_theme_and_colour(communes):
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    a.refresh_from_db()
    b.refresh_from_db()
    ThemeSettings.objects.create(site_id=a.site_id, theme="vignoble", primary_color="#5a1020")
    ThemeSettings.objects.create(site_id=b.site_id, theme="dordogne")
    html_a, css_a = theme_css(host_client(a.hostname))
    html_b, css_b = theme_css(host_client(b.hostname))
    assert 'class="theme-vignoble' in html_a and "--color-primary:#5a1020" in css_a
    assert 'class="theme-dordogne' in html_b and "--color-primary:#0d5c63" in css_b
    # The fonts' quotes reach the stylesheet as quotes, not &quot;.
    assert "&quot;" not in css_b
    assert '--font-body:"Segoe UI", system-ui' in css_b


def test_a_colour_saved_past_the_form_cannot_break_out_of_the_stylesheet(communes):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    # Seven characters: the column's length, which PostgreSQL enforces.
    ThemeSettings.objects.create(site_id=a.site_id, primary_color="</style")
    _html, css = theme_css(host_client(a.hostname))
    assert "<" not in css
    assert "--color-primary:#8a4513" in css


def test_no_third_party_host_and_no_marianne(communes):
    html = Client(HTTP_HOST="pays.test").get("/").content.decode()
    assert "http://" not in html.split("<body")[0].replace("http://pays.test", "")
    assert "https://" not in html.split("<body")[0]
    assert "marianne" not in html.lower() and "dsfr" not in html.lower()


def test_settings_of_another_site_are_out_of_reach(communes):
    from django.urls import reverse

    from conftest import member

    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    b.refresh_from_db()
    user = member("sec", a, "secretariat")
    client = host_client("pays.test")
    client.force_login(user)
    url = reverse("wagtailsettings:edit", args=["themes", "themesettings", b.site_id])
    assert client.get(url).status_code in (302, 403, 404)


def test_cached_menu_and_footer_follow_publication(communes):
    from communes.models import StandardPage
    from sitefactory.models import ProvisionedPage

    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    assert "Marchés publics" not in client.get("/").content.decode()
    home = a.home_page.specific
    new = home.add_child(
        instance=StandardPage(title="Marchés publics", slug="marches", show_in_menus=True)
    )
    new.save_revision().publish()
    assert 'href="/marches/">Marchés publics</a>' in client.get("/").content.decode()
    legal = ProvisionedPage.objects.get(collectivite=a, key="mentions-legales").page
    legal.unpublish()
    footer = client.get("/mairie/").content.decode().split("<footer")[1]
    assert "/mentions-legales/" not in footer


def test_each_theme_has_its_favicon_and_favicon_ico_is_a_file_on_every_host(communes):
    from django.contrib.staticfiles import finders

    from themes.themes import THEMES

    for key, theme in THEMES.items():
        svg = finders.find(f"themes/favicons/{key}.svg")
        assert svg, f"no favicon for the theme {key}"
        with open(svg, encoding="utf-8") as icon:
            assert theme.tokens["color-primary"] in icon.read()
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    ThemeSettings.objects.create(site_id=a.site_id, theme="dordogne")
    html = host_client(a.hostname).get("/").content.decode()
    assert '<link rel="icon" href="/static/themes/favicons/dordogne.svg"' in html
    # Browsers ask for /favicon.ico on their own: a static file, never a Django 404.
    for hostname in (a.hostname, communes[COMMUNE_B].hostname):
        response = host_client(hostname).get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/x-icon"
        assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_the_menu_shows_the_listings_once_they_list_something(communes):
    from communes.models import BulletinIndexPage, NewsPage
    from sitefactory.models import ProvisionedPage

    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)

    def menu():
        html = client.get("/mairie/").content.decode()
        return html.split('<ul class="menu">')[1].split("</ul>")[0]

    news = ProvisionedPage.objects.get(collectivite=a, key="actualites").page
    assert BulletinIndexPage.objects.descendant_of(a.home_page).get().show_in_menus
    assert "La mairie" in menu()
    if NewsPage.objects.child_of(news).live().exists():
        NewsPage.objects.child_of(news).delete()
        from serving.cache import bump_content_version

        bump_content_version()
    assert "Actualités" not in menu() and "Bulletins municipaux" not in menu()
    item = news.add_child(instance=NewsPage(title="Fête du village", slug="fete"))
    item.save_revision().publish()
    assert 'href="/actualites/">Actualités</a>' in menu()
    item.unpublish()
    assert "Actualités" not in menu()


def test_every_page_but_the_home_has_its_breadcrumbs(communes):
    from bs4 import BeautifulSoup

    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    assert 'aria-label="Fil d\'Ariane"' not in client.get("/").content.decode()
    soup = BeautifulSoup(client.get("/demarches/").content, "lxml")
    crumbs = soup.select("nav.breadcrumbs li")
    assert [li.get_text(strip=True) for li in crumbs] == ["Accueil", "Démarches"]
    assert crumbs[0].a["href"] == "/" and crumbs[-1].span["aria-current"] == "page"
    soup = BeautifulSoup(client.get("/demarches/acte-de-naissance/").content, "lxml")
    assert [li.get_text(strip=True) for li in soup.select("nav.breadcrumbs li")][:2] == [
        "Accueil",
        "Démarches",
    ]
    assert "breadcrumbs" not in client.get("/nulle-part/").content.decode()
