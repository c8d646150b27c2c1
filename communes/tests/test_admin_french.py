"""The admin speaks French and Bastide's name, not Python's values or Wagtail's brand."""

import re

import pytest

from conftest import COMMUNE_A, host_client, member

pytestmark = pytest.mark.django_db


def visible_text(html):
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_page_search_counts_pages_and_tabs_name_bastide(communes):
    client = host_client("pays.test")
    client.force_login(member("sec-a", communes[COMMUNE_A], "secretariat"))
    html = client.get("/admin/pages/search/?q=mairie").content.decode()
    text = visible_text(html)
    assert re.search(r"1-\d+ sur \d+ pages", text), text[:2000]
    assert "None" not in text
    assert re.search(r"<title>\s*Rechercher - Bastide\s*</title>", html)
