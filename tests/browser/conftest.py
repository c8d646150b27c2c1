"""Browser tests: Debian's Chromium, driven by Selenium, against a live server on 127.0.0.1.

`make browser-deps` (run by `make test`) installs Chromium, chromedriver and axe-core. When
one is missing the tests fail with the command to run; they are never skipped.

Chromium resolves `pays.test` and `*.pays.test` to 127.0.0.1 and every other name to
nothing, so a page cannot reach outside the machine; what it tried is still read from
Chromium's network log and `Browser.assert_no_outside_requests` fails on it.

What the Content-Security-Policy blocked is read from Chromium's console: a test that
passes fails at teardown when any page it visited broke the policy.
"""

import base64
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from pytest_django.live_server_helper import LiveServer
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parent / "screenshots"
INSTALL_HINT = (
    "run `make browser-deps` (as root it installs them; otherwise: "
    "`sudo sh -c 'apt-get update && apt-get install -y chromium chromium-driver "
    "default-jre-headless'` "
    "and `npm ci --prefix tests/browser`)"
)
DEMO_PASSWORD = "demo-browser-tests"
TIMEOUT = 20  # seconds, for any single wait


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool


DESKTOP = Viewport("desktop", 1280, 900, mobile=False)
MOBILE = Viewport("mobile", 375, 812, mobile=True)
VIEWPORTS = (DESKTOP, MOBILE)


def _require_tools():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER, AXE) if not p.is_file()]
    if missing:
        pytest.fail(f"Browser tests need {', '.join(missing)}: {INSTALL_HINT}", pytrace=False)


def chromium_options(user_data_dir):
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        "--no-first-run",
        "--no-default-browser-check",
        "--password-store=basic",
        f"--user-data-dir={user_data_dir}",
        "--host-resolver-rules=MAP *.pays.test 127.0.0.1, MAP pays.test 127.0.0.1, "
        "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--lang=fr-FR",
        f"--window-size={DESKTOP.width},{DESKTOP.height}",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return options


def _gone(exc):
    """Chromium sometimes reports an element of a page that has just been replaced as an
    inspector error rather than as a stale element."""
    return "does not belong to the document" in str(exc)


class Browser:
    """One Chromium tab, with what the tests ask of a page: open, measure, check, picture."""

    def __init__(self, driver, server_port):
        self.driver = driver
        self.server_port = server_port
        self.requested = []  # every http(s)/ws(s) URL the pages asked for
        self.status = None  # HTTP status of the last document loaded
        self.csp_violations = []  # what the Content-Security-Policy blocked, from the console
        self._axe_source = AXE.read_text(encoding="utf-8")

    # -- state ---------------------------------------------------------------------------

    def reset(self):
        self.driver.get("about:blank")
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        self.viewport(DESKTOP)
        self._collect()
        self.requested.clear()
        self.csp_violations.clear()

    def viewport(self, viewport: Viewport):
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": viewport.width,
                "height": viewport.height,
                "deviceScaleFactor": 1,
                "mobile": viewport.mobile,
            },
        )

    # -- navigation ----------------------------------------------------------------------

    def open(self, url):
        self.driver.get(url)
        self._collect()

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait_for(self, css, visible=True):
        """The first element matching css, once it is there (and visible)."""
        condition = EC.visibility_of_element_located if visible else EC.presence_of_element_located
        element = WebDriverWait(self.driver, TIMEOUT).until(
            condition((By.CSS_SELECTOR, css)), message=f"no {css} on {self.driver.current_url}"
        )
        self._collect()
        return element

    def wait_until(self, predicate, message):
        result = WebDriverWait(self.driver, TIMEOUT).until(lambda d: predicate(), message=message)
        self._collect()
        return result

    def click(self, element):
        """Click, once the element has stopped moving (menus slide in) and nothing covers it."""

        def clicked():
            try:
                element.click()
            except ElementClickInterceptedException:
                return False
            except StaleElementReferenceException:
                return True  # the click already started loading the next page
            except WebDriverException as exc:
                if _gone(exc):
                    return True
                raise
            return True

        self.wait_until(clicked, "the element stayed covered")

    def click_and_wait_for_page(self, element):
        """Click something that loads a new page, and wait until it has."""
        old = self.find("html")
        self.click(element)

        def replaced():
            try:
                old.is_enabled()
            except StaleElementReferenceException:
                return True
            except WebDriverException as exc:
                if _gone(exc):
                    return True
                raise
            return False

        WebDriverWait(self.driver, TIMEOUT).until(lambda d: replaced(), message="no new page")
        self.wait_until(
            lambda: self.driver.execute_script("return document.readyState") == "complete",
            "the new page did not finish loading",
        )

    @property
    def path(self):
        return urlsplit(self.driver.current_url).path

    def log_out_of_admin(self):
        """The account menu at the foot of the admin's sidebar, then « Se déconnecter »."""
        self.click(self.wait_for("[data-wagtail-sidebar] .sidebar-footer button"))
        logout = self.wait_for(
            "[data-wagtail-sidebar] .sidebar-footer form[action$='/logout/'] button"
        )
        self.click_and_wait_for_page(logout)
        assert self.path == "/admin/login/"

    # -- checks --------------------------------------------------------------------------

    def axe_violations(self):
        """axe-core's violations on the current page, with its default rules (WCAG 2.x A
        and AA, and best practices)."""
        self.driver.set_script_timeout(60)
        if not self.driver.execute_script("return typeof window.axe !== 'undefined'"):
            self.driver.execute_script(self._axe_source)
        result = self.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ["violations"]})
              .then(r => done({violations: r.violations}))
              .catch(e => done({error: String(e)}));
            """
        )
        if "error" in result:
            raise AssertionError(f"axe-core failed on {self.driver.current_url}: {result}")
        return result["violations"]

    def images_without_dimensions(self):
        """<img> elements that would make the page jump as they load: no width or height."""
        return self.driver.execute_script(
            """
            return [...document.images]
              .filter(img => !img.getAttribute("width") || !img.getAttribute("height"))
              .map(img => img.outerHTML.slice(0, 200));
            """
        )

    def scripts(self):
        """Scripts the page runs (structured data excepted): pages must work without."""
        return self.driver.execute_script(
            """
            return [...document.scripts]
              .filter(s => s.type !== "application/ld+json")
              .map(s => s.src || s.textContent.slice(0, 80));
            """
        )

    def zoom(self, viewport: Viewport, factor):
        """The page as a browser zoomed to `factor` shows it: fewer CSS pixels, bigger ones."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": int(viewport.width / factor),
                "height": int(viewport.height / factor),
                "deviceScaleFactor": factor,
                "mobile": False,
            },
        )

    def lost_content(self):
        """What zooming lost: a page wider than the window, or text cut off in its box."""
        return self.driver.execute_script(
            """
            const problems = [];
            const root = document.documentElement;
            if (root.scrollWidth > window.innerWidth + 1) {
              problems.push(`page ${root.scrollWidth}px wide, window ${window.innerWidth}px`);
            }
            for (const el of document.querySelectorAll("body *")) {
              const style = getComputedStyle(el);
              if (style.display === "none" || style.visibility === "hidden") continue;
              if (el.matches(".visually-hidden, .skip-link")) continue;
              const clips = ["hidden", "clip"].includes(style.overflowX);
              if (clips && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim()) {
                problems.push(`text cut off in ${el.tagName.toLowerCase()}.${el.className}`);
              }
              const box = el.getBoundingClientRect();
              if (box.width && box.right > window.innerWidth + 1 && el.textContent.trim()) {
                problems.push(`${el.tagName.toLowerCase()}.${el.className} past the right edge`);
              }
            }
            return [...new Set(problems)].slice(0, 20);
            """
        )

    def screenshot(self, name):
        """A full-page PNG in tests/screenshots/, for a person to look at."""
        SCREENSHOTS.mkdir(exist_ok=True)
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": size["height"],
                    "scale": 1,
                },
            },
        )
        path = SCREENSHOTS / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def _collect(self):
        self._collect_console()
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method = message.get("method")
            if method == "Network.responseReceived" and message["params"]["type"] == "Document":
                self.status = message["params"]["response"]["status"]
            if method in ("Network.requestWillBeSent", "Network.webSocketCreated"):
                params = message["params"]
                url = params["request"]["url"] if "request" in params else params["url"]
                if urlsplit(url).scheme in ("http", "https", "ws", "wss"):
                    self.requested.append(url)

    def _collect_console(self):
        for entry in self.driver.get_log("browser"):
            message = entry.get("message", "")
            if "Content Security Policy" in message or "Content-Security-Policy" in message:
                self.csp_violations.append(f"{self.driver.current_url}: {message}")

    def assert_no_csp_violations(self):
        self._collect()
        assert not self.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(
            self.csp_violations
        )

    def outside_requests(self):
        self._collect()
        outside = []
        for url in self.requested:
            parts = urlsplit(url)
            host = parts.hostname or ""
            local = host == "pays.test" or host.endswith(".pays.test")
            if not local or parts.port != self.server_port:
                outside.append(url)
        return outside

    def assert_no_outside_requests(self):
        assert self.requested, "Chromium's network log recorded no request at all"
        outside = self.outside_requests()
        assert not outside, "Requests to hosts other than the live server:\n" + "\n".join(
            sorted(set(outside))
        )


def format_violations(found):
    """found: [(label, violations)] -> the readable report of a failing test."""
    lines = []
    for label, violations in found:
        for v in violations:
            lines.append(f"{label}: {v['id']} ({v['impact']}) {v['help']} — {v['helpUrl']}")
            for node in v["nodes"][:10]:
                summary = " ".join((node.get("failureSummary") or "").split())
                lines.append(f"    {' > '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, on 127.0.0.1 (not `localhost`, which may be ::1)."""
    server = LiveServer("127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    _require_tools()
    user_data_dir = tempfile.mkdtemp(prefix="bastide-chromium-")
    service = Service(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(service=service, options=chromium_options(user_data_dir))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(user_data_dir, ignore_errors=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture
def browser(request, chromium, live_server):
    browser = Browser(chromium, live_server.thread.port)
    browser.reset()
    yield browser
    if getattr(request.node, "browser_test_failed", False) is False:
        # Every page the test visited, in the policy that production sends.
        browser.assert_no_csp_violations()
    if getattr(request.node, "browser_test_failed", False):
        # What the browser showed when the test failed, beside the screenshots.
        name = "ECHEC-" + "".join(c if c.isalnum() else "-" for c in request.node.name)
        browser.screenshot(name)
        (SCREENSHOTS / f"{name}.html").write_text(browser.driver.page_source, encoding="utf-8")


@dataclass
class World:
    port: int
    password: str

    def url(self, hostname, path="/"):
        return f"http://{hostname}:{self.port}{path}"

    def page_url(self, page):
        url = page.full_url
        assert url.startswith("http://") and f":{self.port}/" in url, url
        return url


def seed_directory():
    """The directory's demo data, as `make seed` loads it (démarches show their fiches)."""
    from django.core.management import call_command

    call_command("seed_directory", stdout=open("/dev/null", "w"))  # noqa: SIM115


def seed_newcomers():
    """The « Installez-vous » guide, its offers and the application form, as `make seed`
    makes them (French; the English pages are the newcomers tests' own)."""
    from django.core.management import call_command

    for command in ("seed_newcomers", "seed_applications"):
        call_command(command, stdout=open("/dev/null", "w"))  # noqa: SIM115


def seed_occitan():
    """The Occitan section as `make seed` makes it: its index page at the portal's /occitan/,
    the seed lexicon, 181 words published by the demo reviewer, no recording."""
    from django.core.management import call_command

    call_command("seed_occitan", password=DEMO_PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


# The worlds' rows, serialized once built, by live-server port (one per xdist worker) and name:
# building it (provisioning, demo content, directory) takes far longer than loading it.
_WORLD_ROWS = {}


def _build_world(port):
    from wagtail.models import Site

    from conftest import provision_shared_sites
    from sitefactory.services.demo import create_demo_accounts
    from sitefactory.services.demo_content import create_demo_content

    provision_shared_sites()
    create_demo_content()
    create_demo_accounts(DEMO_PASSWORD)
    seed_directory()
    seed_newcomers()
    Site.objects.update(port=port)


def _load_world(rows):
    """The database emptied, then filled with the world's rows as they were once built (the
    mechanism of Django's serialized rollback)."""
    from django.core.management import call_command
    from django.db import connection

    call_command(
        "flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False
    )
    connection.creation.deserialize_db_from_string(rows)


def _serve_world(live_server, settings, name, build):
    """The world `name`, built by `build(port)` the first time on this worker and loaded from
    its rows afterwards, served on the live server."""
    from django.db import connection

    assert django_settings.PAYS_DOMAIN == "pays.test"
    port = live_server.thread.port
    # Links between sites are built for the port served (serving.siteurls): the live server's.
    settings.SITE_PORT = port
    if (port, name) in _WORLD_ROWS:
        _load_world(_WORLD_ROWS[port, name])
    else:
        build(port)
        _WORLD_ROWS[port, name] = connection.creation.serialize_db_to_string()
    settings.ROOT_URLCONF = "tests.browser.urls"
    cache.clear()
    return World(port=port, password=DEMO_PASSWORD)


@pytest.fixture
def world(transactional_db, live_server, settings):
    """The demo as `make seed` makes it (the Pays and three communes), served on the live
    server: content, accounts, and the Sites' port set to the server's so links work. Built
    once per worker; each test starts from the same rows."""
    return _serve_world(live_server, settings, "world", _build_world)


def _build_occitan_world(port):
    if (port, "world") in _WORLD_ROWS:
        _load_world(_WORLD_ROWS[port, "world"])
    else:
        _build_world(port)
    seed_occitan()


@pytest.fixture
def occitan_world(transactional_db, live_server, settings):
    """`world` plus the Occitan section as `make seed` makes it (`seed_occitan`: the portal's
    /occitan/ and its published words), built once per worker too: the other browser tests'
    world stays without it."""
    return _serve_world(live_server, settings, "occitan", _build_occitan_world)
