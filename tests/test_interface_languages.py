"""The interface around the pages speaks the page's language: French first, English complete."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from conftest import COMMUNE_A, host_client

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdif%]")


def translate_to_english(page):
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()
    return english


def test_english_home_page_has_an_english_interface(communes):
    client = host_client(communes[COMMUNE_A].hostname)
    translate_to_english(communes[COMMUNE_A].home_page.specific)

    english = client.get("/en/").content.decode()
    assert '<html lang="en">' in english
    assert "Skip to content" in english and "Aller au contenu" not in english
    assert 'aria-label="Main menu"' in english
    assert "a site of the Pays, made with Bastide" in english

    french = client.get("/").content.decode()
    assert '<html lang="fr">' in french
    assert "Aller au contenu" in french and "Skip to content" not in french


def test_translated_home_keeps_the_mairie_box_and_local_data(communes):
    """Before the mairie page itself is translated, its hours still show on the home page."""
    from communes.models import OpeningHours
    from sitefactory.models import ProvisionedPage

    bergerac = communes[COMMUNE_A]
    mairie = ProvisionedPage.objects.get(collectivite=bergerac, key="mairie").page
    OpeningHours.objects.create(
        page_id=mairie.pk, weekday=0, morning_open="09:00", morning_close="12:00"
    )
    translate_to_english(bergerac.home_page.specific)
    english = host_client(bergerac.hostname).get("/en/").content.decode()
    assert "Local data" in english and "insee.fr" in english
    assert 'class="status ' in english  # the mairie box with "open now / closed"


def test_english_mairie_page_names_the_days_in_english(communes):
    import datetime

    from communes.models.mairie import OpeningHours

    mairie = communes[COMMUNE_A].home_page.get_children().get(slug="mairie").specific
    # A mairie with no hours at all says so instead of a table: give it a morning.
    mairie.opening_hours.add(
        OpeningHours(weekday=2, morning_open=datetime.time(9), morning_close=datetime.time(12))
    )
    mairie.save_revision().publish()
    translate_to_english(mairie)
    client = host_client(communes[COMMUNE_A].hostname)

    english = client.get("/en/mairie/").content.decode()
    assert "Opening hours" in english
    assert ">Wednesday" in english and ">Sunday" in english
    french = client.get("/mairie/").content.decode()
    assert "Horaires d&#x27;ouverture" in french or "Horaires d'ouverture" in french
    assert ">Mercredi" in french


def test_local_data_links_follow_the_interface_language(communes):
    from communes.services.home import local_data_links

    commune = communes[COMMUNE_A]
    with translation.override("en"):
        english = [label for label, _url in local_data_links(commune)]
    with translation.override("fr"):
        french = [label for label, _url in local_data_links(commune)]
    assert "Land registry" in english and "Natural hazards (Géorisques)" in english
    assert "Cadastre" in french and "Risques naturels (Géorisques)" in french


def catalogue(language):
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def test_every_english_msgid_is_translated():
    po = catalogue("en")
    assert len(po) > 100
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.untranslated_entries()] == []
    for entry in po:
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("language", ["en", "oc"])
def test_translations_keep_the_placeholders(language):
    for entry in catalogue(language).translated_entries():
        if "python-format" not in entry.flags:
            continue
        if entry.msgid_plural:
            # As msgfmt --check reads them: msgstr[0] is the singular's, the other forms the
            # plural's (a singular may leave out the count: « Une nouvelle offre »).
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, msgstr)
                for index, msgstr in entry.msgstr_plural.items()
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, msgstr in pairs:
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(source)), (
                entry.msgid
            )


def compiled(entries):
    """What a catalogue gives at run time: msgid (with context and plural) -> translation."""
    table = {}
    for entry in entries:
        if entry.msgid == "" or "fuzzy" in entry.flags:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            if not all(value):
                continue
        else:
            value = entry.msgstr
            if not value:
                continue
        table[key] = value
    return table


@pytest.mark.parametrize("language", ["en", "oc", "fr"])
def test_compiled_catalogue_matches_its_source(language):
    """The .mo files are committed: one left behind would serve stale or missing strings."""
    directory = LOCALE_DIR / language / "LC_MESSAGES"
    source = compiled(polib.pofile(str(directory / "django.po")))
    shipped = compiled(polib.mofile(str(directory / "django.mo")))
    assert source, "the catalogue translates nothing"
    missing = sorted(k[1] for k in source.keys() - shipped.keys())
    stale = sorted(k[1] for k in source.keys() & shipped.keys() if source[k] != shipped[k])
    extra = sorted(k[1] for k in shipped.keys() - source.keys())
    assert (missing, stale, extra) == ([], [], []), "run `make messages`"
