"""Requests per second of the public pages, served as in production.

Starts gunicorn (2 workers, production settings, DEBUG off) on the seeded database
(`make seed`, or DATABASE_URL), loads each page type with `wrk` (Debian package `wrk`), and
prints req/s, p50/p99 latency and SQL queries per view (warm). Targets of the issue: ≥ 350
req/s on a commune home page, ≥ 250 on a content page, ≤ 10 queries per view.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8790"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
HOME = "accueil d'une commune"
PAGES = [
    (HOME, "bergerac", "/"),
    ("la mairie", "bergerac", "/mairie/"),
    ("une actualité", "bergerac", "/actualites/travaux-voirie/"),
    ("une démarche", "bergerac", "/demarches/acte-de-naissance/"),
    ("agenda", "bergerac", "/agenda/"),
    ("conseil municipal", "bergerac", "/conseil-municipal/"),
    ("contact", "bergerac", "/contact/"),
    ("plan du site", "bergerac", "/plan-du-site/"),
    ("portail", None, "/"),
    ("trouver ma commune", None, "/communes/?q=24150"),
    ("agenda du Pays", None, "/agenda/"),
    ("alertes (formulaire)", "bergerac", "/alertes/"),
    ("guide Installez-vous", None, "/installez-vous/"),
    ("un thème du guide", None, "/installez-vous/se-loger/"),
    ("un témoignage", None, "/installez-vous/temoignage-emma-et-tom/"),
    ("reprises d'activité", None, "/installez-vous/reprises/"),
    ("une reprise", None, "/installez-vous/reprises/garage-automobile-offre-fictive/"),
    ("lexique occitan", None, "/occitan/"),
    ("un mot occitan", None, "/occitan/mot/maison/"),
    ("une lettre (A–Z)", None, "/occitan/lettre/m/"),
    ("une fiche à imprimer", None, "/occitan/themes/maison/fiche/"),
]
TARGET_HOME, TARGET_CONTENT, TARGET_QUERIES = 350, 250, 10


def queries_per_view():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client

    from communes.models import Collectivite

    settings.DEBUG = True
    domain = settings.PAYS_DOMAIN
    counts = {}
    for label, slug, path in PAGES:
        host = f"{slug}.{domain}" if slug else domain
        client = Client(HTTP_HOST=host)
        client.get(path)
        reset_queries()
        status = client.get(path).status_code
        counts[label] = (status, len(connection.queries))
    assert Collectivite.objects.exists()
    return domain, counts


def wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit("gunicorn did not start")


def production_env():
    """The environment gunicorn runs with in the benches: production settings, no TLS."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SITE_PORT": os.environ.get("SITE_PORT", "8000"),
        "STATIC_ROOT": str(ROOT / "static"),
        # Formatted as in production, written nowhere: the figures are the app's.
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    domain, counts = queries_per_view()
    env = production_env()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(PORT)
        print(f"{'page':26} {'HTTP':>4} {'queries':>7} {'req/s':>8} {'p50':>8} {'p99':>8}")
        missed = []
        for label, slug, path in PAGES:
            host = f"{slug}.{domain}" if slug else domain
            url = f"http://127.0.0.1:{PORT}{path}"
            subprocess.run(
                ["wrk", "-t2", "-c8", "-d2s", "-H", f"Host: {host}", url],
                capture_output=True,
                check=False,
            )  # warm up
            out = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{DURATION}", "--latency", "-H", f"Host: {host}", url],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            p50 = re.search(r"50%\s+([\d.]+\w+)", out)
            p99 = re.search(r"99%\s+([\d.]+\w+)", out)
            status, queries = counts[label]
            rate = float(rps.group(1)) if rps else 0.0
            print(
                f"{label:26} {status:>4} {queries:>7} {rate:>8.0f} "
                f"{p50.group(1) if p50 else '?':>8} {p99.group(1) if p99 else '?':>8}"
            )
            target = TARGET_HOME if label == HOME else TARGET_CONTENT
            if status != 200 or queries > TARGET_QUERIES or rate < target:
                missed.append(label)
        print(
            f"targets: ≥ {TARGET_HOME} req/s on the home page, ≥ {TARGET_CONTENT} on the "
            f"others, ≤ {TARGET_QUERIES} queries: "
            + (f"missed on {', '.join(missed)}" if missed else "all met")
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
