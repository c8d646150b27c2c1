"""Which hostnames and languages Bastide answers, as a visitor's browser sees it."""

from django.test import Client
from wagtail.models import Locale

from conftest import COMMUNE_A, COMMUNE_B, host_client


def test_unknown_hostname_is_400_never_the_portal(communes):
    assert Client(HTTP_HOST="inconnue.pays.test").get("/").status_code == 400
    assert Client(HTTP_HOST="evil.example.com").get("/").status_code == 400
    assert Client(HTTP_HOST="pays.test").get("/").status_code == 200


def test_allowed_hosts_are_exactly_the_provisioned_sites(communes):
    from communes.hosts import allowed_hosts

    hosts = set(allowed_hosts())
    assert "*" not in hosts and ".pays.test" not in hosts
    assert {"pays.test", "bergerac.pays.test", "lalinde.pays.test", "eymet.pays.test"} <= hosts
    assert "issigeac.pays.test" not in hosts  # in the registry, not provisioned


def test_an_unknown_hostname_is_refused_as_django_refuses_it(communes, caplog):
    response = Client(HTTP_HOST="evil.example.com").get("/static/themes/css/base.css")
    assert response.status_code == 400
    assert any(r.name == "django.security.DisallowedHost" for r in caplog.records)
    # Probes aside, the hostname is checked before anything else reads it.
    from django.conf import settings

    assert settings.MIDDLEWARE[:2] == [
        "health.probes.ProbeMiddleware",
        "communes.hosts.ProvisionedHostsMiddleware",
    ]


def test_extra_hostnames_are_answered_too(settings, communes):
    settings.ALLOWED_HOSTS_EXTRA = ["sonde.interne", ".relais.test"]
    assert Client(HTTP_HOST="sonde.interne").get("/").status_code == 200
    assert Client(HTTP_HOST="a.relais.test").get("/").status_code == 200
    assert Client(HTTP_HOST="autre.interne").get("/").status_code == 400


def test_a_newly_provisioned_site_is_served_at_once(communes):
    from communes.models import Collectivite
    from sitefactory.services.provisioning import provision

    assert Client(HTTP_HOST="issigeac.pays.test").get("/").status_code == 400
    provision(Collectivite.objects.filter(code="24212"))
    assert Client(HTTP_HOST="issigeac.pays.test").get("/").status_code == 200


def test_page_of_another_site_is_404_on_this_hostname(communes):
    bergerac = host_client(communes[COMMUNE_A].hostname)
    assert bergerac.get("/mairie/").status_code == 200
    lalinde_slug = communes[COMMUNE_B].slug
    assert bergerac.get(f"/communes/{lalinde_slug}/").status_code == 404
    assert bergerac.get(f"/grand-bergeracois/communes/{lalinde_slug}/").status_code == 404


def test_french_has_no_prefix_english_and_occitan_have_theirs(communes):
    client = host_client(communes[COMMUNE_A].hostname)
    assert client.get("/").status_code == 200
    assert client.get("/en/").status_code == 200
    assert client.get("/oc/").status_code == 200
    assert client.get("/de/").status_code == 404


def test_html_lang_comes_from_the_page_locale(communes):
    home = communes[COMMUNE_A].home_page.specific
    occitan = home.copy_for_translation(Locale.objects.get(language_code="oc"), copy_parents=True)
    occitan.title = "Brageirac"
    occitan.save_revision().publish()
    client = host_client(communes[COMMUNE_A].hostname)

    french = client.get("/").content.decode()
    assert '<html lang="fr">' in french
    oc = client.get("/oc/").content.decode()
    assert '<html lang="oc">' in oc and "<h1>Brageirac</h1>" in oc
    # No English translation yet: the French page is shown, and says it is French.
    en = client.get("/en/").content.decode()
    assert '<html lang="fr">' in en


def test_interface_strings_translate_to_occitan(communes):
    client = host_client(communes[COMMUNE_A].hostname)
    home = communes[COMMUNE_A].home_page.specific
    home.copy_for_translation(
        Locale.objects.get(language_code="oc"), copy_parents=True
    ).save_revision().publish()
    assert "Anar al contengut" in client.get("/oc/").content.decode()
    assert "Aller au contenu" in client.get("/").content.decode()


def test_missing_page_is_a_french_404_in_the_site_layout(communes):
    response = host_client(communes[COMMUNE_A].hostname).get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html and "<main" in html and "Page introuvable" in html
