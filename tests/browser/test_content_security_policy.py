"""The Content-Security-Policy, as Chromium enforces it.

Every browser test fails when a page it visited broke the policy (the `browser` fixture
reads Chromium's console). This one shows that the policy is really enforced and that such
a break is seen: a script or a style attribute slipped into a public page does not run, the
theme's tokens (a stylesheet of the site's own, no inline style at all) apply.
"""

import pytest

from communes.models import Collectivite
from conftest import COMMUNE_A
from themes.models import ThemeSettings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PRIMARY = "return getComputedStyle(document.documentElement).getPropertyValue('--color-primary')"
INLINE_STYLES = "return document.querySelectorAll('style, [style]').length"
LINK_COLOR = """
const link = document.body.appendChild(document.createElement("a"));
link.href = "/";
const color = getComputedStyle(link).color;
link.remove();
return color;
"""
INJECT = """
const script = document.createElement("script");
script.textContent = "window.injected = true;";
document.head.appendChild(script);
document.body.setAttribute("style", "background: rgb(255, 0, 0)");
"""


def test_an_injected_script_and_style_are_refused_and_reported(world, browser):
    commune = Collectivite.objects.get(code=COMMUNE_A)
    ThemeSettings.objects.filter(site_id=commune.site_id).update(primary_color="#1a2b3c")
    ThemeSettings.objects.get(site_id=commune.site_id).save()  # a new content version
    browser.open(world.url(commune.hostname))
    assert browser.status == 200
    # The site's theme tokens, its own stylesheet, apply: to the links too.
    assert browser.driver.execute_script(PRIMARY).strip() == "#1a2b3c"
    assert browser.driver.execute_script(INLINE_STYLES) == 0
    assert "26, 43, 60" in browser.driver.execute_script(LINK_COLOR)
    browser.assert_no_csp_violations()

    browser.driver.execute_script(INJECT)
    assert browser.driver.execute_script("return window.injected === undefined")
    background = browser.driver.execute_script("return getComputedStyle(document.body).background")
    assert "255, 0, 0" not in background

    def reported():
        browser._collect()
        violations = " ".join(browser.csp_violations)
        return "script-src" in violations and "style-src" in violations

    browser.wait_until(reported, f"Chromium's console reported: {browser.csp_violations}")
    # Seen: this test's own violations are not the fixture's to report.
    browser.csp_violations.clear()
