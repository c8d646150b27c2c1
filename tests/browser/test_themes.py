"""The three themes, side by side: each commune looks like itself.

Bergerac, Eymet and Lalinde carry the three themes in the demo. Their home pages are
pictured in tests/screenshots/theme-<theme>.png, and what a visitor sees differs between
them: the colours the page is drawn with, and the pixels of the screenshots themselves.
"""

import io
from itertools import combinations

import pytest
from PIL import Image, ImageChops, ImageStat

from communes.models import Collectivite
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C
from tests.browser.conftest import DESKTOP
from themes.models import ThemeSettings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOOK = """
const style = el => getComputedStyle(document.querySelector(el));
return {
  header: style(".site-header").backgroundColor,
  headerTop: style(".site-header").borderTopColor,
  headerBottom: style(".site-header").borderBottomColor,
  page: style("body").backgroundColor,
  link: style("main a").color,
  heading: style("h1").fontFamily + " " + style("h1").fontSize,
};
"""


def test_three_themes_are_visibly_different(world, browser):
    browser.viewport(DESKTOP)
    looks, shots = {}, {}
    for code in (COMMUNE_A, COMMUNE_B, COMMUNE_C):
        collectivite = Collectivite.objects.get(code=code)
        theme = ThemeSettings.objects.get(site_id=collectivite.site_id).theme
        browser.open(world.page_url(collectivite.home_page))
        assert browser.status == 200
        assert f"theme-{theme}" in browser.find("body").get_attribute("class")
        looks[theme] = browser.driver.execute_script(LOOK)
        path = browser.screenshot(f"theme-{theme}")
        with Image.open(io.BytesIO(path.read_bytes())) as shot:
            # The top of the page, where the site is recognised at a glance.
            shots[theme] = shot.convert("RGB").crop((0, 0, DESKTOP.width, 400))
    assert sorted(looks) == ["bastide", "dordogne", "vignoble"], looks

    for a, b in combinations(sorted(looks), 2):
        differing = [key for key in looks[a] if looks[a][key] != looks[b][key]]
        assert len(differing) >= 2, (a, b, looks[a], looks[b])
        difference = ImageStat.Stat(ImageChops.difference(shots[a], shots[b])).mean
        assert sum(difference) / 3 > 2, (a, b, difference)  # mean difference per channel
