"""The section's public pages: /occitan/ searched both ways, browsed A–Z and by theme, a
theme's printable sheet, a word and an expression with their recordings, under /oc/ too,
within the serving budget; and « Occitan » in every commune site's footer."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from wagtail.models import Locale

from communes.models import PortalHomePage
from conftest import COMMUNE_A, host_client
from occitan.models import Entry, Expression, OccitanIndexPage, Recording, Speaker, Theme
from occitan.models.lexicon import SOURCE_APERTIUM
from occitan.tests.audio_files import bundled

URL = "/occitan/"


@pytest.fixture(autouse=True)
def _french_after():
    """A request under /oc/ leaves Occitan active in this thread (LocaleMiddleware): the
    next test in this process must not read its messages in Occitan."""
    yield
    translation.deactivate()


@pytest.fixture
def index(pays):
    portal = PortalHomePage.objects.filter(locale=Locale.get_default()).first()
    page = OccitanIndexPage(title="Lexique occitan", slug="occitan", intro="<p>Los mots.</p>")
    portal.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def lexicon(index):
    maison = Theme.objects.create(name="La maison", name_oc="L'ostal", slug="la-maison")
    Theme.objects.create(name="Vide", slug="vide")
    speaker = Speaker.objects.create(name="Marie", place="Lalinde")
    recording = Recording.objects.create(
        title="ostal",
        original=SimpleUploadedFile("ostal.ogg", bundled("tone.ogg"), content_type="audio/ogg"),
        mime_type="audio/ogg",
        speaker=speaker,
        place="Lalinde",
        transcript="L'ostal es grand.",
    )
    rows = {
        "maison": Entry.objects.create(
            slug="maison",
            french="maison",
            occitan="l'ostal",
            variant_gascon="l'ostau",
            part_of_speech="noun",
            gender="m",
            theme=maison,
            example_fr="La maison est grande.",
            example_oc="L'ostal es grand.",
            recording=recording,
            source=SOURCE_APERTIUM,
            credit="Apertium",
            live=True,
        ),
        "porte": Entry.objects.create(
            slug="porte",
            french="Porte",
            occitan="la pòrta",
            theme=maison,
            machine_suggestion=True,
            live=True,
        ),
        "pain": Entry.objects.create(slug="pain", french="pain", occitan="lo pan", live=False),
        "fenetre": Entry.objects.create(
            slug="fenetre", french="fenêtre", occitan="la fenèstra", theme=maison, live=True
        ),
        "bienvenue": Expression.objects.create(
            slug="benvenguda",
            occitan="Benvenguda a l'ostal !",
            literal="Bienvenue à la maison !",
            meaning="On est content de vous voir.",
            usage_note="Pour accueillir.",
            live=True,
        ),
    }
    return rows


def html(path, client=None, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return response.content.decode()


@pytest.fixture
def client(portal_client):
    return portal_client


def test_the_index_has_its_search_form_letters_themes_and_expressions(lexicon, client):
    page = html(URL, client)
    assert "<h1>Lexique occitan</h1>" in page and "Los mots." in page
    assert re.search(r'<label for="id_q">[^<]+</label> <input type="search" name="q"', page)
    assert 'name="sens" value="fr"' in page and 'name="sens" value="oc"' in page
    assert 'value="both" id="id_sens_0" checked' in page
    assert 'value="oc" id="id_sens_2" checked' in html(URL + "?q=ostal&sens=oc", client)
    assert 'value="both" id="id_sens_0" checked' in html(URL + "?q=ostal", client)
    letters = re.findall(r'href="/occitan/lettre/([a-z])/"', page)
    assert letters == ["f", "m", "p"]  # « pain » is not live, « p » comes from « porte »
    assert '<a href="/occitan/themes/la-maison/">' in page
    assert "(3 mots)" in page and "/themes/vide/" not in page  # no live word in it
    assert '<span lang="oc">Benvenguda a l&#x27;ostal !</span>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=maison&sens=fr", "maison"),
        ("?q=ostal&sens=oc", "maison"),
        ("?q=OSTAU", "maison"),  # the gascon form, any case
        ("?q=L%E2%80%99Ostal&sens=both", "maison"),  # a curly apostrophe and its article
        ("?q=fenetre", "fenetre"),  # no accent typed
        ("?q=fenestra&sens=oc", "fenetre"),
    ],
)
def test_search_both_ways(lexicon, client, query, expected):
    page = html(URL + query, client)
    assert f'href="/occitan/mot/{expected}/"' in page
    assert '<meta name="robots" content="noindex, follow">' in page


def test_search_finds_the_expressions_and_never_what_is_not_live(lexicon, client):
    page = html(URL + "?q=maison&sens=fr", client)
    assert '<span lang="oc">l&#x27;ostal</span>' in page
    assert 'href="/occitan/expressions/benvenguda/"' in page
    assert "/mot/pain/" not in html(URL + "?q=pain", client)
    assert "Aucun mot trouvé" in html(URL + "?q=pain", client)
    assert "Tapez au moins deux lettres" in html(URL + "?q=m", client)
    too_long = html(URL + "?q=" + "x" * 200, client, status=400)
    assert "pas pu être faite" in too_long and "100 caractères" in too_long
    assert "Sens de la recherche" in html(URL + "?q=ostal&sens=licorne", client, status=400)
    for hostile in ("%00", "%ff", "' OR 1=1 --", "%3Cscript%3E"):
        assert client.get(URL + "?q=" + hostile + "&page=x").status_code in (200, 400)


def test_a_to_z_by_french_then_by_occitan(lexicon, client):
    page = html(URL + "lettre/m/", client)
    assert 'href="/occitan/mot/maison/"' in page and "/mot/porte/" not in page
    assert 'href="/occitan/lettre/m/" aria-current="page"' in page
    assert 'href="/occitan/lettre/m/?ordre=oc"' in page  # the toggle
    by_occitan = html(URL + "lettre/o/?ordre=oc", client)  # « l'ostal » files under o
    assert 'href="/occitan/mot/maison/"' in by_occitan
    assert html(URL + "lettre/p/?ordre=oc", client).count("/occitan/mot/porte/") == 1
    assert "Aucun mot" in html(URL + "lettre/z/", client)
    html(URL + "lettre/zz/", client, status=404)
    html(URL + "lettre/m/?page=abc", client)


def test_a_theme_and_its_printable_sheet(lexicon, client):
    page = html(URL + "themes/la-maison/", client)
    assert "/mot/maison/" in page and "/mot/porte/" in page and "/mot/pain/" not in page
    assert 'href="/occitan/themes/la-maison/fiche/"' in page
    sheet = html(URL + "themes/la-maison/fiche/", client)
    assert 'href="/static/occitan/sheet.css"' in sheet
    assert "Imprimer" in sheet
    assert '<th scope="row" lang="fr">maison</th>' in sheet
    assert '<td lang="oc">l&#x27;ostau</td>' in sheet
    from django.contrib.staticfiles import finders

    css = open(finders.find("occitan/sheet.css")).read()  # noqa: SIM115
    assert "@media print" in css and "size: A4" in css and ".site-footer" in css
    html(URL + "themes/nulle-part/", client, status=404)


def test_an_entry_page_marks_its_occitan_and_plays_its_recording(lexicon, client):
    page = html(URL + "mot/maison/", client)
    recording = lexicon["maison"].recording
    assert '<span lang="oc">l&#x27;ostal</span>' in page
    assert '<dd lang="oc">l&#x27;ostau</dd>' in page
    assert '<p class="occitan-example" lang="oc">L&#x27;ostal es grand.</p>' in page
    assert '<audio controls preload="none">' in page
    assert f'<source src="{recording.get_absolute_url()}" type="audio/ogg">' in page
    assert recording.get_absolute_url().startswith(f"/audio/occitan/{recording.pk}/?v=")
    assert '<span lang="oc">L&#x27;ostal es grand.</span>' in page  # the transcript
    assert "Voix de Marie" in page and "Lalinde" in page and "Voix de synthèse" not in page
    assert SOURCE_APERTIUM in page
    assert 'href="/occitan/themes/la-maison/"' in page
    assert 'href="/occitan/">Lexique occitan</a>' in page  # the breadcrumbs
    assert "Suggestion automatique" not in page


def test_synthetic_voice_missing_recording_and_machine_suggestion_are_said(lexicon, client):
    speaker = lexicon["maison"].recording.speaker
    speaker.synthetic = True
    speaker.save()
    assert "Voix de synthèse" in html(URL + "mot/maison/", client)
    porte = html(URL + "mot/porte/", client)
    assert "Enregistrement à venir" in porte and "<audio" not in porte
    assert "Suggestion automatique" in porte


def test_what_is_not_live_is_404(lexicon, client):
    html(URL + "mot/pain/", client, status=404)
    html(URL + "mot/nulle-part/", client, status=404)
    lexicon["bienvenue"].live = False
    lexicon["bienvenue"].save()  # and the cached page goes with it
    html(URL + "expressions/benvenguda/", client, status=404)


def test_expressions(lexicon, client):
    page = html(URL + "expressions/", client)
    assert 'href="/occitan/expressions/benvenguda/"' in page
    page = html(URL + "expressions/benvenguda/", client)
    assert '<h1 lang="oc">Benvenguda a l&#x27;ostal !</h1>' in page
    assert "Bienvenue à la maison !" in page and "Pour accueillir." in page
    assert "Enregistrement à venir" in page


def test_the_section_under_oc_speaks_occitan_around_the_french_page(lexicon, client):
    response = client.get("/oc/occitan/")
    assert response.status_code == 200
    page = response.content.decode()
    # The project's fallback: the page's content is French, its interface Occitan.
    assert '<html lang="fr">' in page
    assert '<div class="container occitan" lang="oc">' in page
    assert '<h1 lang="fr">Lexique occitan</h1>' in page
    assert "Anar al contengut" in page  # the oc catalogue
    assert 'href="/oc/occitan/lettre/m/"' in page  # links keep /oc/
    entry = html("/oc/occitan/mot/maison/", client)
    assert 'href="/oc/occitan/themes/la-maison/"' in entry
    assert 'href="/oc/occitan/mot/maison/"' in html("/oc/occitan/?q=ostal", client)


PATHS = [
    URL,
    URL + "lettre/m/",
    URL + "themes/la-maison/",
    URL + "themes/la-maison/fiche/",
    URL + "mot/maison/",
    URL + "expressions/benvenguda/",
    "/oc/occitan/mot/maison/",
]


@pytest.mark.parametrize("path", PATHS)
def test_pages_cost_few_queries_cold_and_none_warm(
    lexicon, client, path, django_assert_max_num_queries, django_assert_num_queries
):
    # The site and its frame in the visitor's language, as any visitor's first page.
    client.get("/oc/" if path.startswith("/oc/") else "/")
    # Among them, for each page this process builds a first URL for: does it root a site?
    # (serving.siteurls.SiteRoots, one query for the paths not met yet)
    with django_assert_max_num_queries(11):
        assert client.get(path).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200


def test_saving_the_lexicon_renews_the_pages(lexicon, client):
    assert "la fenèstra" in html(URL + "mot/fenetre/", client)
    fenetre = lexicon["fenetre"]
    fenetre.occitan = "la finèstra"
    fenetre.save()
    assert "la finèstra" in html(URL + "mot/fenetre/", client)


def test_every_commune_site_links_to_the_section(lexicon, communes):
    page = host_client(communes[COMMUNE_A].hostname).get("/").content.decode()
    footer = page.split('<footer class="site-footer"', 1)[1]
    assert re.search(r'<a href="http://pays\.test(:\d+)?/occitan/">Occitan</a>', footer)


def test_no_footer_link_before_the_section_is_published(communes):
    page = host_client(communes[COMMUNE_A].hostname).get("/").content.decode()
    assert "/occitan/" not in page
