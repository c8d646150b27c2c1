"""The Occitan section in Chromium, as visitors use it: the portal's /occitan/ searched both
ways on a phone and a desktop, browsed A–Z and by theme, a theme's sheet printed, a word with
its recording played and sought, the link from a commune site's footer, and the section
under /oc/.

axe-core finds no violation on any page (WCAG 2.x A and AA, and best practices, as the other
browser tests check); no page breaks the Content-Security-Policy (the `browser` fixture) or
asks anything of another host.

The world holds the section as `make seed` makes it (`occitan_world`: `seed_occitan`, 181
words published by the demo reviewer, no recording, since no Debian voice speaks Occitan);
the recording test attaches the bundled tone to one published word.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from selenium.webdriver.common.by import By

from communes.models import Collectivite
from conftest import COMMUNE_A
from occitan.models import Entry, Recording, Speaker
from occitan.tests.audio_files import bundled
from tests.browser.conftest import DESKTOP, MOBILE, VIEWPORTS, format_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PORTAL = "pays.test"


class Checker:
    """Open pages, run axe-core on each, report every violation at the end."""

    def __init__(self, browser, label=""):
        self.browser = browser
        self.label = label
        self.found = []

    def open(self, url, name):
        self.browser.open(url)
        self.check(name)

    def check(self, name):
        browser = self.browser
        assert browser.status == 200, f"{name}: {browser.status} for {browser.driver.current_url}"
        label = f"{name} {self.label} {browser.driver.current_url}"
        self.found.append((label, browser.axe_violations()))

    def assert_clean(self):
        violations = [(label, v) for label, v in self.found if v]
        assert not violations, format_violations(violations)
        self.browser.assert_no_outside_requests()


def by_text(browser, tag, text, within="//"):
    """The element `tag` whose visible text is `text` (as a visitor finds it)."""
    return browser.driver.find_element(By.XPATH, f"{within}{tag}[normalize-space()='{text}']")


def labelled(browser, label):
    """The form field that the label showing `label` names."""
    return browser.find("#" + by_text(browser, "label", label).get_attribute("for"))


def search(browser, words, direction=None):
    """Type in the field labelled « Mot ou expression », pick the direction by its label,
    send the form (a plain GET)."""
    field = labelled(browser, "Mot ou expression")
    field.clear()
    field.send_keys(words)
    if direction:
        browser.click(by_text(browser, "label", direction))
        assert labelled(browser, direction).is_selected()
    button = by_text(browser, "button", "Chercher")
    browser.click_and_wait_for_page(button)
    return browser.wait_for(".occitan-results")


def result_link(results, lang, text):
    """The result link whose part in `lang` reads `text`."""
    for link in results.find_elements(By.CSS_SELECTOR, "a"):
        for span in link.find_elements(By.CSS_SELECTOR, f"span[lang={lang}]"):
            if span.text == text:
                return link
    raise AssertionError(f"no result {text!r} in {lang}: {results.text}")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_a_visitor_finds_maison_in_occitan_and_back(occitan_world, browser, viewport):
    browser.viewport(viewport)
    checker = Checker(browser, viewport.name)
    checker.open(occitan_world.url(PORTAL, "/occitan/"), "index")
    assert browser.find("html").get_attribute("lang") == "fr"

    results = search(browser, "maison")
    checker.check("recherche-maison")
    assert browser.path == "/occitan/"
    ostal = result_link(results, "oc", "l'ostal")
    browser.click_and_wait_for_page(ostal)
    checker.check("mot-maison")
    assert browser.path == "/occitan/mot/maison/"
    title = browser.find("h1")
    assert title.find_element(By.CSS_SELECTOR, "span[lang=fr]").text == "maison"
    assert title.find_element(By.CSS_SELECTOR, "span[lang=oc]").text == "l'ostal"
    assert "Apertium oci-fra" in browser.find(".occitan-source").text
    audio = browser.find(".occitan-audio")
    assert "Enregistrement à venir" in audio.text
    assert not browser.find_all("audio")

    # Back to the section by the breadcrumbs, and the other way round.
    crumbs = browser.find("nav.breadcrumbs")
    browser.click_and_wait_for_page(crumbs.find_element(By.CSS_SELECTOR, "a"))
    results = search(browser, "ostal", direction="Occitan → français")
    checker.check("recherche-ostal")
    assert "sens=oc" in browser.driver.current_url
    maison = result_link(results, "fr", "maison")
    assert maison.get_attribute("href").endswith("/occitan/mot/maison/")
    checker.assert_clean()


def is_hidden(browser, css):
    """Every element matching css takes no room on the page (display: none, or inside)."""
    return browser.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])]"
        ".every(e => e.getClientRects().length === 0)",
        css,
    )


def test_a_visitor_browses_a_to_z_and_prints_a_theme_sheet(occitan_world, browser):
    checker = Checker(browser)
    checker.open(occitan_world.url(PORTAL, "/occitan/"), "index")

    # A–Z: the bar names itself, each letter is a link; M lists « maison ».
    bar = browser.find("nav.occitan-letters[aria-label]")
    letters = [a.text for a in bar.find_elements(By.CSS_SELECTOR, "a")]
    assert "M" in letters and len(letters) > 10, letters
    browser.click_and_wait_for_page(
        by_text(browser, "a", "M", within="//nav[@class='occitan-letters']//")
    )
    checker.check("lettre-m")
    assert browser.path == "/occitan/lettre/m/"
    assert browser.find("h1").text == "Mots français en M"
    assert browser.find("nav.occitan-letters a[aria-current=page]").text == "M"
    maison = result_link(browser.find(".occitan-entries"), "fr", "maison")
    assert maison.find_element(By.CSS_SELECTOR, "span[lang=oc]").text == "l'ostal"
    browser.click_and_wait_for_page(browser.find(".occitan-order a"))
    checker.check("lettre-m-occitan")
    assert "ordre=oc" in browser.driver.current_url

    # A theme, from the index's list, then its sheet.
    browser.open(occitan_world.url(PORTAL, "/occitan/"))
    theme = browser.driver.find_element(
        By.XPATH, "//ul[@class='occitan-themes']//a[span[normalize-space()='La maison']]"
    )
    browser.click_and_wait_for_page(theme)
    checker.check("theme-maison")
    assert browser.path.startswith("/occitan/themes/")
    assert browser.find("h1 span[lang=fr]").text == "La maison"
    words = browser.find_all(".occitan-entries li")
    assert len(words) > 5
    browser.click_and_wait_for_page(by_text(browser, "a", "Fiche à imprimer pour la classe"))
    checker.check("fiche-ecran")
    assert browser.path.endswith("/fiche/")
    rows = browser.find_all(".occitan-sheet__table tbody tr")
    assert len(rows) == len(words)
    assert browser.find_all(".occitan-sheet__table td[lang=oc]")
    assert not is_hidden(browser, ".site-header")
    assert not is_hidden(browser, ".occitan-print-hint")

    # On paper: only the title and the table.
    driver = browser.driver
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert driver.execute_script("return matchMedia('print').matches")
        for hidden in (".site-header", ".site-footer", "nav", ".occitan-print-hint"):
            assert is_hidden(browser, hidden), f"{hidden} is printed"
        assert browser.find("h1").is_displayed()
        assert browser.find(".occitan-sheet__table").is_displayed()
        checker.found.append(("fiche-impression", browser.axe_violations()))
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    checker.assert_clean()


@pytest.fixture
def recorded(occitan_world):
    """« maison », published, with the bundled tone as its recording, by a speaker."""
    speaker = Speaker.objects.create(name="Marie Testaire", place="Lalinde")
    recording = Recording.objects.create(
        title="ostal",
        original=SimpleUploadedFile("ostal.ogg", bundled("tone.ogg"), content_type="audio/ogg"),
        speaker=speaker,
        place="Lalinde",
        transcript="L'ostal es grand.",
    )
    entry = Entry.objects.get(slug="maison", live=True)
    entry.recording = recording
    entry.save(update_fields=["recording"])
    return entry


PLAYER_STATE = """
const a = document.querySelector('audio');
return {ready: a.readyState, duration: a.duration, time: a.currentTime,
        seeking: a.seeking, error: a.error && a.error.code, src: a.currentSrc};
"""


def test_a_word_with_a_recording_plays_and_seeks(recorded, occitan_world, browser):
    checker = Checker(browser)
    checker.open(occitan_world.url(PORTAL, f"/occitan/mot/{recorded.slug}/"), "mot-enregistre")
    audio = browser.find(".occitan-audio audio[controls]")
    assert audio.get_attribute("preload") == "none"
    transcript = browser.find(".occitan-transcript")
    assert transcript.is_displayed()
    assert transcript.find_element(By.CSS_SELECTOR, "span[lang=oc]").text == "L'ostal es grand."
    assert "Voix de Marie Testaire" in browser.find(".occitan-recording-meta").text
    assert "Enregistrement à venir" not in browser.find(".occitan-audio").text

    driver = browser.driver
    driver.execute_script("document.querySelector('audio').load()")
    state = browser.wait_until(
        lambda: (
            (s := driver.execute_script(PLAYER_STATE))["ready"] >= 1 and s["duration"] > 0 and s
        ),
        "the player never read the recording's length",
    )
    assert 1.4 < state["duration"] < 1.6, state
    assert "/audio/occitan/" in state["src"], state
    driver.execute_script("document.querySelector('audio').currentTime = 0.5")
    state = browser.wait_until(
        lambda: (
            (s := driver.execute_script(PLAYER_STATE))["seeking"] is False
            and abs(s["time"] - 0.5) < 0.05
            and s
        ),
        "the player could not seek",
    )
    assert state["error"] is None, state
    checker.check("mot-enregistre-cherche")
    checker.assert_clean()


def test_a_commune_site_shows_the_word_of_the_day_and_links_to_the_section(occitan_world, browser):
    checker = Checker(browser)
    commune = Collectivite.objects.get(code=COMMUNE_A)
    checker.open(occitan_world.url(commune.hostname), "accueil-commune")
    # The word of the day, on the home page: in Occitan, linked to its page on the portal.
    word = browser.find(".word-of-day")
    assert word.find_element(By.CSS_SELECTOR, "strong[lang=oc]").text
    word_link = word.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
    assert word_link.startswith(occitan_world.url(PORTAL, "/occitan/mot/")), word_link
    footer = browser.find(".site-footer")
    link = by_text(browser, "a", "Occitan", within="//*[contains(@class, 'site-footer')]//")
    assert link.find_element(By.XPATH, "ancestor::nav").get_attribute("aria-label")
    assert footer.is_displayed()
    browser.click_and_wait_for_page(link)
    checker.check("occitan-depuis-commune")
    assert browser.driver.current_url == occitan_world.url(PORTAL, "/occitan/")
    assert browser.find("h1").text
    checker.assert_clean()


def test_the_section_under_oc_has_the_occitan_interface(occitan_world, browser):
    checker = Checker(browser, "oc")
    for viewport in (DESKTOP, MOBILE):
        browser.viewport(viewport)
        checker.open(occitan_world.url(PORTAL, "/oc/occitan/"), f"oc-index-{viewport.name}")
    # The project's fallback: French content, the interface in Occitan around it.
    assert browser.find("html").get_attribute("lang") == "fr"
    assert browser.find(".container.occitan").get_attribute("lang") == "oc"
    assert browser.find("h1").get_attribute("lang") == "fr"
    note = browser.find(".language-note[role=note]")
    assert note.get_attribute("lang") == "oc" and note.is_displayed() and note.text
    skip = browser.find(".skip-link")
    assert skip.get_attribute("textContent").strip() == "Anar al contengut"
    # Its links keep /oc/, and so does a word found by the search.
    letter = browser.find("nav.occitan-letters a")
    assert "/oc/occitan/lettre/" in letter.get_attribute("href")
    browser.viewport(DESKTOP)
    browser.open(occitan_world.url(PORTAL, "/oc/occitan/?q=ostal"))
    checker.check("oc-recherche")
    link = result_link(browser.find(".occitan-results"), "oc", "l'ostal")
    browser.click_and_wait_for_page(link)
    checker.check("oc-mot")
    assert browser.path == "/oc/occitan/mot/maison/"
    checker.assert_clean()
