"""A secretary edits her commune's home page and submits it; the Pays approves; it is live.

Everything goes through the Wagtail admin in Chromium, as the people do it: the login form,
the rich-text editor, the action menu, the Pays team's dashboard.
"""

import pytest
from selenium.webdriver.common.keys import Keys
from wagtail.models import Page

from communes.models import Collectivite
from conftest import COMMUNE_A

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEWS = "Nouveau : la mairie ouvre le samedi matin à partir du 4 janvier."


def log_in(browser, world, username):
    browser.open(world.url("pays.test", "/admin/login/"))
    browser.find("input[name=username]").send_keys(username)
    browser.find("input[name=password]").send_keys(world.password)
    browser.click_and_wait_for_page(browser.find("form button[type=submit]"))
    assert browser.path == "/admin/", f"{username} could not log in"


def test_secretary_submits_pays_approves_visitor_sees(world, browser):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    home = bergerac.home_page
    public_home = world.url(bergerac.hostname, "/")

    # The secretary edits the intro of the home page and submits it for approval.
    log_in(browser, world, "secretaire-bergerac")
    browser.open(world.url("pays.test", f"/admin/pages/{home.pk}/edit/"))
    intro = browser.wait_for(
        '[data-field-input]:has(> input[name="intro"]) [contenteditable="true"]'
    )
    browser.click(intro)
    intro.send_keys(Keys.CONTROL, Keys.END)
    intro.send_keys(Keys.ENTER, NEWS)
    browser.wait_until(
        lambda: NEWS in browser.find('input[name="intro"]').get_attribute("value"),
        "the rich-text editor did not take the text",
    )
    submit = browser.find('button[name="action-submit"]')
    if not submit.is_displayed():
        toggle = submit.find_element(
            "xpath",
            "ancestor::div[contains(@class, 'w-dropdown-button')]//button"
            "[@data-w-dropdown-target='toggle']",
        )
        browser.click(toggle)
        submit = browser.wait_for('button[name="action-submit"]')
    browser.screenshot("parcours-1-secretaire-soumet")
    browser.click_and_wait_for_page(submit)

    home.refresh_from_db()
    state = home.current_workflow_state
    assert state is not None and state.status == "in_progress", state
    assert state.requested_by.username == "secretaire-bergerac"
    assert NEWS in home.get_latest_revision_as_object().intro
    assert NEWS not in home.specific.intro  # the live version is unchanged

    # Not public yet.
    browser.log_out_of_admin()
    browser.open(public_home)
    assert NEWS not in browser.find("main").text

    # The Pays approves from its dashboard.
    log_in(browser, world, "pays")
    # The pending item names the commune and the page, with its actions at hand.
    row = browser.wait_for(f"#awaiting-review-section tr:has(a[href$='/pages/{home.pk}/edit/'])")
    assert "Bergerac — " in row.text and "Voir les modifications" in row.text
    approve = browser.wait_for(
        f"button[data-workflow-action-url*='/pages/workflow/action/{home.pk}/approve/']"
        ":not([data-launch-modal])"
    )
    browser.screenshot("parcours-2-pays-approuve")
    browser.click_and_wait_for_page(approve)
    home = Page.objects.get(pk=home.pk).specific
    assert NEWS in home.intro
    assert home.current_workflow_state is None
    browser.log_out_of_admin()

    # A visitor sees the new text on the commune's site.
    browser.open(public_home)
    assert browser.status == 200
    assert NEWS in browser.find("main .intro").text
    browser.screenshot("parcours-3-visiteur-voit")
    browser.assert_no_outside_requests()
