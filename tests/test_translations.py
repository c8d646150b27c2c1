"""Translating the sites' pages: « Traduire » for the Pays team, the report per site and
language, what a visitor of /en/ and /oc/ reads, and the machine's suggestions (Apertium for
Occitan, run for real; DeepL for English, replayed from a recorded answer on 127.0.0.1)."""

import http.server
import re
import threading
from pathlib import Path

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.strings import StringValue

from communes.machine_translation import BastideMachineTranslator, apertium_translate
from communes.models import Collectivite
from communes.services.translations import translation_report
from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from sitefactory.models import ProvisionedPage

FILES = Path(__file__).parent / "files"


def provisioned(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


@pytest.fixture
def staff(communes):
    user = member("staff", Collectivite.objects.get(code="PAYS"), "equipe")
    client = host_client("pays.test")
    client.force_login(user)
    return client


@pytest.fixture
def secretary_a(communes):
    user = member("sec-a", communes[COMMUNE_A], "secretariat")
    client = host_client("pays.test")
    client.force_login(user)
    return client


def locale(code):
    return Locale.objects.get(language_code=code)


def translate(client, page, code):
    """« Traduire » as the editor does it: the form, one language."""
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    response = client.post(url, {"locales": [locale(code).pk]})
    assert response.status_code == 302, response.content.decode()[:500]
    return page.get_translation(locale(code))


def publish(page, title=None, slug=None):
    page = page.specific
    if title:
        page.title = title
    if slug:
        page.slug = slug
    page.save_revision().publish()
    return page


# -- « Traduire » and its tenancy ----------------------------------------------------------


def test_the_pays_team_has_the_translate_action_and_a_secretary_has_not(
    communes, staff, secretary_a
):
    page = provisioned(communes[COMMUNE_A], "actualites")
    action = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert action in staff.get(edit).content.decode()
    assert staff.get(action).status_code == 200
    # Her own page: content translation is the Pays team's (docs/i18n.md).
    assert action not in secretary_a.get(edit).content.decode()
    # Wagtail answers a permission denied in the admin by a redirect with a message.
    assert secretary_a.get(action).status_code in (302, 403)
    assert secretary_a.post(action, {"locales": [locale("en").pk]}).status_code in (302, 403)
    assert not page.get_translations().exists()


def test_the_pays_team_translates_and_edits_the_translation_of_any_commune(communes, staff):
    page = provisioned(communes[COMMUNE_B], "actualites")
    occitan = translate(staff, page, "oc")
    assert occitan is not None and occitan.locale.language_code == "oc"
    translation_ = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale("oc")
    )
    edit = staff.get(reverse("wagtailadmin_pages:edit", args=[occitan.pk]))
    assert edit.status_code == 200
    po = staff.get(reverse("wagtail_localize:download_pofile", args=[translation_.pk]))
    assert po.status_code == 200 and b'msgid "Actualit' in po.content


def test_a_secretary_of_a_reaches_no_translation_of_b(communes, staff, secretary_a):
    page_b = provisioned(communes[COMMUNE_B], "actualites")
    translate(staff, page_b, "en")
    translation_b = Translation.objects.get(source__object_id=page_b.translation_key)
    for name, args in [
        ("wagtail_localize:download_pofile", [translation_b.pk]),
        ("wagtail_localize:upload_pofile", [translation_b.pk]),
        ("wagtail_localize:machine_translate", [translation_b.pk]),
        ("wagtail_localize:update_translations", [translation_b.source_id]),
        ("wagtail_localize:submit_page_translation", [page_b.pk]),
    ]:
        for method in ("get", "post"):
            response = getattr(secretary_a, method)(reverse(name, args=args))
            assert response.status_code in (302, 403, 404), (name, method, response.status_code)
    report = secretary_a.get(
        reverse("communes_translation_report")
        + f"?site_id={communes[COMMUNE_B].site_id}&language=en"
    )
    assert report.status_code == 404


# -- the report ----------------------------------------------------------------------------


def test_the_report_counts_translated_out_of_date_and_missing_pages(communes, staff):
    a = communes[COMMUNE_A]
    french_total = Page.objects.filter(
        path__startswith=a.home_page.path, locale=locale("fr"), live=True
    ).count()
    news, agenda = provisioned(a, "actualites"), provisioned(a, "agenda")
    for page in (news, agenda):
        publish(translate(staff, page, "en"), title=f"{page.title} (EN)")
    # The French agenda is published again after its translation was synchronised.
    TranslationSource.objects.filter(object_id=agenda.translation_key).update(
        last_updated_at=timezone.now() - timezone.timedelta(days=1)
    )
    publish(agenda, title="Agenda de la commune")

    rows = {(r.site_id, r.language): r for r in translation_report({a.site_id})}
    english, occitan = rows[(a.site_id, "en")], rows[(a.site_id, "oc")]
    # The home page came along as a parent (an alias of the French): not a translation.
    assert (english.translated, english.outdated) == (1, 1)
    assert english.missing == french_total - 2
    assert (occitan.translated, occitan.outdated, occitan.missing) == (0, 0, french_total)

    body = staff.get(reverse("communes_translation_report")).content.decode()
    assert f'data-site="{communes[COMMUNE_B].site_id}"' in body  # every site for the Pays
    row = re.search(rf'data-site="{a.site_id}" data-language="en">(.*?)</tr>', body, re.S)
    assert 'data-count="translated">1<' in row.group(1)
    assert 'data-count="outdated">1<' in row.group(1)
    detail = staff.get(
        reverse("communes_translation_report") + f"?site_id={a.site_id}&language=en"
    ).content.decode()
    assert "Agenda de la commune" in detail and 'data-status="outdated"' in detail


def test_a_secretary_reads_the_report_of_her_own_site_only(communes, secretary_a):
    body = secretary_a.get(reverse("communes_translation_report")).content.decode()
    assert f'data-site="{communes[COMMUNE_A].site_id}"' in body
    assert f'data-site="{communes[COMMUNE_B].site_id}"' not in body
    menu = secretary_a.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("communes_translation_report") in menu
    # One « Traductions » in Rapports: wagtail-localize's list is linked from ours.
    assert reverse("wagtail_localize:translations_report") not in menu


# -- what a visitor reads ------------------------------------------------------------------


def test_an_untranslated_page_under_en_is_the_french_page_with_a_note(communes, staff):
    a = communes[COMMUNE_A]
    # Something is translated, so the English tree exists and routes /en/ first.
    publish(translate(staff, provisioned(a, "actualites"), "en"), "News", "news")
    agenda = provisioned(a, "agenda")
    response = host_client(a.hostname).get("/en/agenda/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert f"<h1>{agenda.title}</h1>" in body
    with translation.override("en"):
        note = gettext("Cette page n'existe pas encore en anglais.")
    assert re.search(r'<p class="language-note" role="note" lang="en">([^<]*)</p>', body)
    assert escape(note) in body
    assert '<header class="site-header" role="banner" lang="en">' in body
    with translation.override("oc"):
        note_oc = gettext("Cette page n'existe pas encore en occitan.")
    assert escape(note_oc) in host_client(a.hostname).get("/oc/agenda/").content.decode()
    # The English home is an alias of the French one, made when News was translated: its
    # content is French, and says so.
    home = host_client(a.hostname).get("/en/").content.decode()
    assert '<html lang="fr">' in home and escape(note) in home
    assert 'hreflang="en"' not in home
    # The French page at its own URL says nothing of the kind.
    french = host_client(a.hostname).get("/agenda/").content.decode()
    assert 'class="language-note"' not in french and '<html lang="fr">' in french


def test_a_translated_page_has_its_language_a_switcher_and_hreflang(communes, staff):
    a = communes[COMMUNE_A]
    news = provisioned(a, "actualites")
    publish(translate(staff, news, "en"), "News", "news")
    client = host_client(a.hostname)
    body = client.get("/en/news/").content.decode()
    assert '<html lang="en">' in body and 'class="language-note"' not in body
    root = f"http://{a.hostname}"
    for code, path in (("fr", "/actualites/"), ("en", "/en/news/")):
        assert f'<link rel="alternate" hreflang="{code}" href="{root}{path}">' in body
    assert f'<link rel="alternate" hreflang="x-default" href="{root}/actualites/">' in body
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', body, re.S).group(0)
    assert 'href="/actualites/" hreflang="fr" lang="fr">Français</a>' in switcher
    assert 'href="/en/news/" hreflang="en" lang="en" aria-current="page">English</a>' in switcher
    assert "Occitan" not in switcher  # it exists in two languages only
    french = client.get("/actualites/").content.decode()
    assert '<html lang="fr">' in french and 'href="/en/news/"' in french


def test_the_switcher_costs_no_query_once_cached(communes, staff):
    a = communes[COMMUNE_A]
    publish(translate(staff, provisioned(a, "actualites"), "en"), "News", "news")
    client = host_client(a.hostname)
    for url in ("/en/news/", "/actualites/", "/en/agenda/"):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        # The versions of the page, the menu's translations, the locales: all from memory.
        lookups = re.compile(r'translation_key" (=|IN)|FROM "wagtailcore_locale"')
        assert not [q for q in captured.captured_queries if lookups.search(q["sql"])], url


# -- machine translation -------------------------------------------------------------------


def test_apertium_translates_french_into_occitan_keeping_the_tags():
    out = apertium_translate(
        ["La mairie <b>est ouverte</b> le lundi.", "Le conseil municipal &amp; les élus."]
    )
    assert out[0] == "La comuna <b>es dobèrta</b> lo diluns."
    assert out[1].startswith("Lo conselh municipal &amp;")
    gascon = apertium_translate(["La mairie est ouverte le lundi."], mode="fra-oci_gascon")
    assert gascon[0].startswith("La comuna qu'ei obèrta")


def test_traduire_into_occitan_prefills_an_apertium_suggestion_to_review(communes, staff):
    page = provisioned(communes[COMMUNE_A], "mairie")
    occitan = translate(staff, page, "oc")
    translation_ = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale("oc")
    )
    edit = staff.get(reverse("wagtailadmin_pages:edit", args=[occitan.pk])).content.decode()
    machine_url = reverse("wagtail_localize:machine_translate", args=[translation_.pk])
    assert machine_url in edit  # the editor offers the machine's suggestion
    response = staff.post(machine_url + "?next=/admin/")
    assert response.status_code == 302
    done = StringTranslation.objects.filter(locale=locale("oc"))
    assert done.exists()
    assert set(done.values_list("translation_type", flat=True)) == {"machine"}
    assert done.filter(data="La comuna").exists()  # the page's title, « La mairie »
    assert all(t.tool_name.startswith("Apertium") for t in done)


class RecordedDeepL(http.server.BaseHTTPRequestHandler):
    requests = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        RecordedDeepL.requests.append((dict(self.headers), self.rfile.read(length).decode()))
        body = (FILES / "deepl" / "translate.json").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def deepl_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordedDeepL)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    RecordedDeepL.requests = []
    yield f"http://127.0.0.1:{server.server_port}/v2/translate"
    server.shutdown()
    server.server_close()


def test_deepl_translates_into_english_only_with_a_key(db, deepl_server):
    fr, en, oc = locale("fr"), locale("en"), locale("oc")
    strings = [
        StringValue("La mairie est <b>ouverte</b> le lundi."),
        StringValue("Conseil municipal"),
    ]
    with override_settings(DEEPL_API_KEY="", DEEPL_API_URL=deepl_server):
        assert not BastideMachineTranslator({}).can_translate(fr, en)
        assert BastideMachineTranslator({}).can_translate(fr, oc)
    with override_settings(DEEPL_API_KEY="clé-de-test", DEEPL_API_URL=deepl_server):
        translator = BastideMachineTranslator({})
        assert translator.can_translate(fr, en)
        out = translator.translate(fr, en, strings)
    assert out[strings[0]].data == "The town hall is <b>open</b> on Monday."
    assert out[strings[1]].data == "Municipal council"
    assert translator.display_name == "DeepL"
    headers, body = RecordedDeepL.requests[0]
    assert headers["Authorization"] == "DeepL-Auth-Key clé-de-test"
    assert "target_lang=EN-GB" in body and "tag_handling=xml" in body


def test_an_unreachable_deepl_fills_nothing(db):
    fr, en = locale("fr"), locale("en")
    with override_settings(DEEPL_API_KEY="k", DEEPL_API_URL="http://127.0.0.1:9/v2/translate"):
        assert BastideMachineTranslator({}).translate(fr, en, [StringValue("Bonjour")]) == {}


def test_synchronising_brings_an_out_of_date_translation_back(communes, staff):
    a = communes[COMMUNE_A]
    agenda = provisioned(a, "agenda")
    publish(translate(staff, agenda, "en"), "Events", "events")
    source = TranslationSource.objects.get(object_id=agenda.translation_key)
    TranslationSource.objects.filter(pk=source.pk).update(
        last_updated_at=timezone.now() - timezone.timedelta(days=1)
    )
    publish(agenda, title="Agenda des fêtes")

    def english():
        rows = translation_report({a.site_id})
        return next(r for r in rows if r.language == "en")

    assert english().outdated == 1
    sync = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert staff.get(sync).status_code == 200
    assert staff.post(sync, {}).status_code == 302
    assert (english().outdated, english().translated) == (0, 1)
    # The new French title now waits in the editor for its English.
    assert source.stringsegment_set.filter(string__data="Agenda des fêtes").exists()


def test_an_outside_translator_works_on_the_po_file(communes, staff):
    page = provisioned(communes[COMMUNE_A], "agenda")
    translate(staff, page, "en")
    translation_ = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale("en")
    )
    po_url = reverse("wagtail_localize:download_pofile", args=[translation_.pk])
    po = polib.pofile(staff.get(po_url).content.decode())
    entry = next(e for e in po if e.msgid == "Agenda")
    entry.msgstr = "Events"
    upload = SimpleUploadedFile("agenda-en.po", str(po).encode(), "text/x-gettext-translation")
    response = staff.post(
        reverse("wagtail_localize:upload_pofile", args=[translation_.pk]),
        {"file": upload, "next": "/admin/"},
    )
    assert response.status_code == 302
    done = StringTranslation.objects.get(locale=locale("en"), translation_of__data="Agenda")
    assert done.data == "Events" and done.translation_type == "manual"
