"""The admin a secretary works in, read as she reads it in Chromium: French only.

She logs in, then opens each page she uses (tests/admin_language.py lists them); what the page
shows (`document.body.innerText`, after its scripts ran: the sidebar, the tabs, the menus) must
hold no English word of the list, no `True`, `False` or `None`, and no ISO date, nor may a
visible field show an ISO date. A failure names each page and what it said, in its context.
"""

import pytest

from communes.models import Collectivite, MairiePage
from conftest import COMMUNE_A
from tests.admin_language import (
    ISO_DATE,
    offences,
    report,
    secretary_admin_urls,
    with_an_exceptional_closure,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The values of the fields a person sees (not hidden inputs, not the CSRF token).
VISIBLE_FIELD_VALUES = """
return [...document.querySelectorAll("input, textarea")]
    .filter((field) => field.type !== "hidden" && field.offsetParent !== null)
    .map((field) => field.value);
"""


def log_in(browser, world, username):
    browser.open(world.url("pays.test", "/admin/login/"))
    browser.find("input[name=username]").send_keys(username)
    browser.find("input[name=password]").send_keys(world.password)
    browser.click_and_wait_for_page(browser.find("form button[type=submit]"))
    assert browser.path == "/admin/", f"{username} could not log in"


def read(browser, world, path):
    """What the page at `path` shows, once its scripts have drawn the sidebar."""
    url = world.url("pays.test", path)
    browser.open(url)
    browser.wait_for("[data-wagtail-sidebar] .sidebar-footer", visible=False)
    text = browser.driver.execute_script("return document.body.innerText")
    found = [(url, offence) for offence in offences(" ".join(text.split()))]
    for value in browser.driver.execute_script(VISIBLE_FIELD_VALUES):
        if ISO_DATE.match(value):
            found.append((url, f"a field shows « {value} »"))
    return found


def test_a_secretary_reads_only_french_in_the_admin(world, browser):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    with_an_exceptional_closure(MairiePage.objects.child_of(bergerac.home_page).get())
    user, urls = secretary_admin_urls(bergerac)
    log_in(browser, world, user.username)
    found = []
    for path in urls.values():
        found += read(browser, world, path)
    assert not found, "English or Python in the admin:\n" + report(found)


def test_the_pays_team_reads_the_import_journal_and_reports_in_french(world, browser):
    from directory.journal import ImportRun

    run = ImportRun.objects.order_by("pk").first()
    log_in(browser, world, "pays")
    found = []
    for path in (
        "/admin/directory-imports/",
        f"/admin/directory-imports/inspect/{run.pk}/",
        "/admin/reports/aging-pages/",
        "/admin/pages/search/?q=mairie",
    ):
        found += read(browser, world, path)
    assert not found, "English or Python in the admin:\n" + report(found)


def test_the_mairie_editor_adds_an_exceptional_closure_dated_the_french_way(world, browser):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    mairie = with_an_exceptional_closure(MairiePage.objects.child_of(bergerac.home_page).get())
    user, urls = secretary_admin_urls(bergerac)
    log_in(browser, world, user.username)
    browser.open(world.url("pays.test", urls["mairie"]))
    add = browser.wait_for("#id_hours_exceptions-ADD")
    assert add.text == "Ajouter une fermeture exceptionnelle"
    dates = [
        field.get_attribute("value")
        for field in browser.find_all("input[name^='hours_exceptions-'][name$='-date_from']")
    ]
    assert "11/12/2026" in dates, dates
    before = len(browser.find_all("#id_hours_exceptions-FORMS > [data-inline-panel-child]"))
    # A click by script: the editor's sticky action bar covers the foot of the form.
    browser.driver.execute_script("arguments[0].click()", add)
    browser.wait_until(
        lambda: (
            len(browser.find_all("#id_hours_exceptions-FORMS > [data-inline-panel-child]"))
            == before + 1
        ),
        "no new closure in the form",
    )
    text = browser.find("#id_hours_exceptions-FORMS").text
    assert "Fermeture exceptionnelle" in text
    assert "un(e)" not in browser.driver.execute_script("return document.body.innerText")
    assert mairie.hours_exceptions.count() >= 1
    # Leave the editor here, not in the next test: it pings its editing session, and a late
    # answer would bring this session's cookies back after the browser is reset.
    read(browser, world, "/admin/")
