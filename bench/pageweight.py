"""Transferred bytes of every page type of a provisioned commune and of the portal.

Run on a seeded database (`make seed`, or DATABASE_URL): prints, per page, the compressed
size of the HTML and of the CSS and JS it links (the site's theme stylesheet included):
what a first visit downloads, photos excluded, and whether it stays under the 60 KB target
for the home page.
"""

import gzip
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402

from communes.models import Collectivite  # noqa: E402

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/(?:static|theme)/[^"?]+)')
TARGET = 60 * 1024
COMMUNE_PATHS = [
    ("accueil", "/"),
    ("la mairie", "/mairie/"),
    ("conseil municipal", "/conseil-municipal/"),
    ("actualités", "/actualites/"),
    ("agenda", "/agenda/"),
    ("bulletins", "/bulletins-municipaux/"),
    ("démarches", "/demarches/"),
    ("une démarche", "/demarches/acte-de-naissance/"),
    ("vie locale", "/vie-locale/"),
    ("découvrir", "/decouvrir/"),
    ("contact", "/contact/"),
    ("accessibilité", "/accessibilite/"),
    ("plan du site", "/plan-du-site/"),
    ("recherche « horaires »", "/search/?q=horaires"),
]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weigh(client, path):
    response = client.get(path, follow=True)
    html = response.content
    assets = 0
    for url in sorted(set(ASSET.findall(html.decode(errors="replace")))):
        if url.startswith("/theme/"):  # the site's theme tokens (themes/stylesheet.py)
            assets += gz(client.get(url).content)
            continue
        found = finders.find(url.removeprefix("/static/"))
        if found:
            assets += gz(Path(found).read_bytes())
    return response.status_code, gz(html), assets


def main():
    commune = Collectivite.objects.provisioned().filter(kind="commune", slug="bergerac").first()
    commune = commune or Collectivite.objects.provisioned().filter(kind="commune").first()
    pays = Collectivite.objects.filter(kind="pays").first()
    if commune is None or pays is None or not pays.hostname:
        sys.exit("Nothing provisioned: run `make seed` first (or set DATABASE_URL).")
    rows = []
    client = Client(HTTP_HOST=commune.hostname)
    for label, path in COMMUNE_PATHS:
        rows.append((f"{commune.name} — {label}", path, *weigh(client, path)))
    portal = Client(HTTP_HOST=pays.hostname)
    for label, path in (
        ("portail — accueil", "/"),
        ("portail — collectivités", "/communes/"),
        ("portail — recherche « conseil »", "/search/?q=conseil"),
    ):
        rows.append((label, path, *weigh(portal, path)))
    print(f"{'page':44} {'HTTP':>4} {'HTML gz':>9} {'CSS+JS gz':>10} {'total':>9}")
    for label, _path, status, html, assets in rows:
        total = html + assets
        flag = "" if total <= TARGET else "  > 60 KB"
        print(
            f"{label[:44]:44} {status:>4} {html / 1024:8.1f}K {assets / 1024:9.1f}K "
            f"{total / 1024:8.1f}K{flag}"
        )
    home = rows[0][3] + rows[0][4]
    print(
        f"commune home page: {home / 1024:.1f} KB transferred (target ≤ 60 KB): "
        f"{'OK' if home <= TARGET else 'OVER'}"
    )


if __name__ == "__main__":
    main()
