"""Each site's theme tokens at a URL named after their content (themes/stylesheet.py)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import COMMUNE_A, COMMUNE_B, host_client
from themes.models import ThemeSettings
from themes.stylesheet import stylesheet_path


def linked(client, path="/"):
    html = client.get(path).content.decode()
    (href,) = re.findall(r'<link rel="stylesheet" href="(/theme/[^"]+)">', html)
    return href


def test_the_link_names_the_css_and_changes_with_the_colour(communes):
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    a.refresh_from_db()
    b.refresh_from_db()
    client = host_client(a.hostname)
    before = linked(client)
    assert before == stylesheet_path(a.site)  # what the baking engine writes
    assert linked(client, "/mairie/") == before
    # Two sites with the same look share the file's name; each host serves its own.
    assert linked(host_client(b.hostname)) == before

    ThemeSettings.objects.create(site_id=a.site_id, primary_color="#1a2b3c")
    after = linked(client)
    assert after != before and after == stylesheet_path(a.site)
    response = client.get(after)
    assert "--color-primary:#1a2b3c" in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Security-Policy" not in response  # a stylesheet runs nothing


def test_an_outdated_name_gets_the_current_colours_and_is_not_kept(communes):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    old = linked(client)
    ThemeSettings.objects.create(site_id=a.site_id, primary_color="#1a2b3c")
    # A page rendered before the change still finds the site's colours...
    response = client.get(old)
    assert response.status_code == 200
    assert "--color-primary:#1a2b3c" in response.content.decode()
    # ...but no cache may keep them under a name that is not theirs.
    assert response["Cache-Control"] == "no-cache"
    assert client.get("/theme/pas-un-condensat.css").status_code == 404
    assert client.post(linked(client)).status_code == 405


def test_the_stylesheet_runs_no_query_once_warm(communes):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    client = host_client(a.hostname)
    href = linked(client)
    client.get(href)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(href)
    assert response.status_code == 200
    assert len(queries) == 0, [q["sql"] for q in queries]
