"""The secretaries' guide: its text and screenshots, and « Aide » in the admin."""

import re

import pytest

from communes.services.guide import GUIDE, IMAGES, french_spacing, image_path, render_guide
from conftest import COMMUNE_A, COMMUNE_B, host_client, member

STEP = re.compile(r"^## (\d+)\. (.+)$", re.M)
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")


def sections():
    """{heading: text} of the guide's second-level sections."""
    parts = re.split(r"^## (.+)$", GUIDE.read_text(encoding="utf-8"), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_image_the_guide_names_is_in_its_folder_and_small():
    text = GUIDE.read_text(encoding="utf-8")
    images = IMAGE.findall(text)
    assert len(images) >= 6
    for alt, src in images:
        assert alt.strip(), f"{src} has no alternative text"
        assert src.startswith("guide-secretaire/"), src
        path = GUIDE.parent / src
        assert path.is_file(), f"{src} is missing: run `make guide-screenshots`"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", src
        assert path.stat().st_size < 120_000, f"{src}: {path.stat().st_size} bytes"


def test_every_step_of_the_guide_has_its_screenshot_and_every_screenshot_a_step():
    steps = {h: body for h, body in sections().items() if STEP.match(f"## {h}")}
    assert len(steps) >= 8
    named = set()
    for heading, body in steps.items():
        number = int(heading.split(".")[0])
        shots = [src for _, src in IMAGE.findall(body)]
        assert any(
            re.fullmatch(rf"guide-secretaire/{number:02d}-[a-z0-9-]+\.png", s) for s in shots
        ), f"step « {heading} » shows no guide-secretaire/{number:02d}-….png"
        named.update(s.removeprefix("guide-secretaire/") for s in shots)
    # The browser test writes no picture the guide does not show.
    assert {p.name for p in IMAGES.glob("*.png")} == named


def test_the_guide_covers_what_a_secretary_does():
    headings = " ".join(sections()).lower()
    for subject in ("connecter", "horaires", "conseil", "procès-verbal", "actualité", "bandeau"):
        assert subject in headings, subject
    assert "soumettre" in headings and "statuts" in headings and "questions" in headings
    text = GUIDE.read_text(encoding="utf-8")
    assert "Texte alternatif (décrit l'image)" in text
    assert "Soumettre à" in text


def test_the_rendering_shows_html_from_the_markdown_as_text(settings, tmp_path, monkeypatch):
    import communes.services.guide as guide

    page = tmp_path / "guide.md"
    page.write_text(
        "# Titre\n\n## 1. Étape\n\n<script>alert(1)</script>\n\nUn <b>mot</b>.\n\n"
        "![Écran](guide-secretaire/01-se-connecter.png)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(guide, "GUIDE", page)
    rendered = guide.render_guide()
    assert rendered.title == "Titre"
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "<b>" not in rendered.html
    url = "/admin/aide/images/01-se-connecter.png"
    assert re.search(rf'<a href="{url}"><img alt="Écran" [^>]*src="{url}"', rendered.html)
    assert 'href="#1-etape"' in rendered.toc


def test_the_rendering_keeps_french_punctuation_with_its_word():
    assert french_spacing("**Du** : le jour ; « Fermé » ? Oui ! 09:00") == (
        "**Du**\u00a0: le jour\u00a0; «\u00a0Fermé\u00a0»\u00a0? Oui\u00a0! 09:00"
    )
    assert "Cliquez sur <strong>S'identifier</strong>." in render_guide().html
    assert "<strong>Du</strong>\u00a0: le premier jour" in render_guide().html


@pytest.mark.parametrize(
    "name",
    ["../guide-secretaire.md", "..%2Fguide-secretaire.md", ".hidden.png", "01-SE.png", "x.PNG"],
)
def test_only_the_png_files_of_the_guide_s_folder_are_named(name):
    assert image_path(name) is None


# -- « Aide » in the admin -------------------------------------------------------------------


@pytest.fixture
def secretary(communes):
    return member("sec-a", communes[COMMUNE_A], "secretariat")


@pytest.fixture
def pays_staff(pays):
    return member("equipe", pays, "equipe")


def admin_client(user):
    client = host_client("pays.test")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["secretary", "pays_staff"])
def test_the_guide_is_served_in_the_admin_to_any_editor(who, request, settings):
    settings.PAYS_SUPPORT_EMAIL = "assistance@pays.test"
    client = admin_client(request.getfixturevalue(who))
    response = client.get("/admin/aide/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and render_guide().title in html
    for heading in sections():
        # The table of contents and the text both name every section.
        assert html.count(heading.replace("'", "&#x27;")) + html.count(heading) >= 2, heading
    assert 'src="/admin/aide/images/03-horaires.png"' in html
    assert 'href="mailto:assistance@pays.test"' in html  # whom to call
    assert "wagtailadmin/shared/header" not in html  # rendered, not named


@pytest.mark.django_db
def test_the_support_telephone_shows_when_it_is_set(secretary, settings):
    settings.PAYS_SUPPORT_PHONE = "05 53 00 00 00"
    html = admin_client(secretary).get("/admin/aide/").content.decode()
    assert 'href="tel:0553000000"' in html and "05 53 00 00 00" in html


@pytest.mark.django_db
def test_the_guide_and_its_images_ask_a_visitor_to_log_in(pays):
    client = host_client("pays.test")
    for url in ("/admin/aide/", "/admin/aide/images/03-horaires.png"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


@pytest.mark.django_db
def test_the_screenshots_are_served_as_png_to_any_editor(secretary):
    response = admin_client(secretary).get("/admin/aide/images/03-horaires.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age" in response["Cache-Control"] and "private" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body == (IMAGES / "03-horaires.png").read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/aide/images/../guide-secretaire.md",
        "/admin/aide/images/..%2F..%2Fmanage.py",
        "/admin/aide/images/%2Fetc%2Fpasswd",
        "/admin/aide/images/absent.png",
        "/admin/aide/images/03-horaires.png.md",
        "/admin/aide/images/",
    ],
)
def test_nothing_else_is_served_as_a_screenshot(secretary, path):
    # Django may first add a slash to an unknown path (a redirect within the admin).
    response = admin_client(secretary).get(path, follow=True)
    assert response.status_code == 404
    assert response.get("Content-Type", "").startswith("text/html")


@pytest.mark.django_db
def test_another_commune_s_secretary_sees_the_same_guide(communes, secretary):
    other = member("sec-b", communes[COMMUNE_B], "secretariat")
    a = admin_client(secretary).get("/admin/aide/").content.decode()
    b = admin_client(other).get("/admin/aide/").content.decode()
    body = re.compile(r'<article class="guide-text">.*?</article>', re.S)
    assert body.search(a).group() == body.search(b).group()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["secretary", "pays_staff"])
def test_the_help_menu_and_the_dashboard_lead_to_our_guide_not_wagtail_s(who, request):
    html = admin_client(request.getfixturevalue(who)).get("/admin/").content.decode()
    assert "guide.wagtail.org" not in html
    # The sidebar's menus are JSON in the page: « Aide » holds our guide and the shortcuts.
    sidebar = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert '"label": "Guide d\'utilisation"' in sidebar and '"url": "/admin/aide/"' in sidebar
    assert "editor-guide" not in sidebar and "whats-new-in-wagtail" not in sidebar
    assert "keyboard-shortcuts-trigger" in sidebar
    # The dashboard's account summary, where Wagtail links its English guide.
    assert re.search(r'href="/admin/aide/">\s*Guide d\'utilisation</a>', html)
