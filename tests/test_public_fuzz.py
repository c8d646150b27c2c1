"""Hostile parameters on every public endpoint: never a 5xx.

Deterministic: a fixed list of hostile values, sent in turn as every parameter each endpoint
reads (and as a few that it does not). Where an endpoint validates a parameter it answers 400
with a message in French (the GeoJSON API, the directory's filter form, the contact form);
where a listing can do better than an error page for a visitor, it ignores what it does not
understand (?page=abc shows the first page). docs/security.md (Resilience) lists which is which.
"""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile

from conftest import COMMUNE_A, host_client

# Encoded as they travel in a query string. The last ones are raw on purpose: bytes that are
# not UTF-8, a lone percent sign, a NUL.
HOSTILE = [
    quote(value, safe="")
    for value in [
        "",
        " ",
        "0",
        "-1",
        "1.5",
        "99999999999999999999",
        "9" * 5000,  # past Python's int() digit limit
        "-99999999999999999999",
        "1e308",
        "1e400",
        "NaN",
        "inf",
        "-inf",
        "abc",
        "²",  # a digit to str.isdigit(), not to int()
        "١٢",  # Arabic-Indic digits
        "x" * 10_000,
        "a\x00b",
        "\x00",
        "\r\nSet-Cookie: x=1",
        "éà🦆",
        "' OR 1=1 --",
        "'; DROP TABLE wagtailcore_page; --",
        '"><script>alert(1)</script>',
        "../../../etc/passwd",
        "44.85,0.48",
        "44.85,0.48,1",
        ",",
        "24037",
        "2A004",
        "sante",
    ]
] + ["%ff", "%c3%28", "%", "%00", "%ed%a0%80"]

# Where each parameter the endpoint reads is sent; "zzz" stands for one it does not read.
COMMUNE_ENDPOINTS = {
    "/": ["page", "zzz"],
    "/en/": ["page"],
    "/oc/": ["page"],
    "/mairie/": ["zzz"],
    "/search/": ["q", "type", "collectivite", "commune", "page"],
    "/en/search/": ["q", "page"],
    "/search/suggest/": ["q"],
    "/services/": ["pres", "categorie", "commune", "distance", "lat", "lon", "page"],
    "/agenda/": ["passes", "page"],
    "/agenda/ical/": ["zzz"],
    "/actualites/": ["page"],
    "/oc/actualites/": ["page"],
    "/actualites/rss/": ["zzz"],
    "/conseil-municipal/": ["annee", "page"],
    "/contact/": ["zzz"],
    "/plan-du-site/": ["zzz"],
    "/sitemap.xml": ["p"],
    "/admin/login/": ["next"],
}
PORTAL_ENDPOINTS = {
    "/api/services.geojson": ["near", "radius_km", "category", "commune", "page", "page_size"],
    "/search/": ["q", "type", "collectivite", "page"],
    # The same form as on a commune's site (tried with every parameter there): what differs
    # here is the listing without a home commune.
    "/services/": ["pres", "commune", "page"],
    "/communes/": ["zzz"],
    "/agenda/": ["categorie", "epci", "commune", "periode", "du", "au", "page"],
    "/agenda/rss/": ["categorie", "epci", "commune", "periode", "du", "au"],
    "/agenda/ical/": ["epci", "commune", "periode", "du", "au"],
}
# Endpoints that check their parameters and answer 400 with a message; every other one
# answers as if the bad parameter were absent (200), or 404 for a page that does not exist.
VALIDATING = {"/api/services.geojson", "/services/", "/agenda/"}


@pytest.fixture
def world(communes, settings, tmp_path):
    from communes.models import SiteDocument
    from directory.models import Category, ServiceEntry

    # Wagtail serves a document from its file's path, which the in-memory storage lacks.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }

    bergerac = communes[COMMUNE_A]
    bergerac.refresh_from_db()
    entry = ServiceEntry.objects.create(
        name="Mairie de Bergerac",
        category=Category.objects.get(slug="mairie"),
        commune=bergerac,
        latitude=bergerac.latitude,
        longitude=bergerac.longitude,
    )
    document = SiteDocument(title="Budget", collection_id=bergerac.collection_id)
    document.file.save("budget.txt", ContentFile(b"Budget primitif"), save=False)
    document.save()
    return {
        "commune": host_client(bergerac.hostname),
        "portal": host_client("pays.test"),
        "entry": entry,
        "document": document,
    }


def _queries(params):
    for param in params:
        for value in HOSTILE:
            yield f"{param}={value}"
        yield f"{param}=1&{param}=2"
        yield f"{param}=abc&{param}=1"
    yield "&".join(f"{param}=%ff" for param in params)


def _check(client, path, query, expected):
    response = client.get(path, QUERY_STRING=query)
    assert response.status_code < 500, (path, query[:80], response.status_code)
    if response.status_code == 400:
        assert path in VALIDATING, (path, query[:80])
    else:
        assert response.status_code in expected, (path, query[:80], response.status_code)
    return response


@pytest.mark.long
def test_every_public_get_endpoint_survives_hostile_parameters(world):
    for site, endpoints in (("commune", COMMUNE_ENDPOINTS), ("portal", PORTAL_ENDPOINTS)):
        client = world[site]
        for path, params in endpoints.items():
            for query in _queries(params):
                response = _check(
                    client, path, query, expected=(200, 404) if "sitemap" in path else (200,)
                )
                if response.status_code != 400:
                    continue
                # A 400 says what is wrong, in French.
                if path == "/api/services.geojson":
                    assert "«" in response.json()["error"], query[:80]
                else:
                    html = response.content.decode()
                    assert '<div class="form-errors" role="alert"' in html, query[:80]
    # Issue 12, point 7.
    response = world["portal"].get("/api/services.geojson?page=99999999999999999999")
    assert response.status_code == 400
    assert response.json() == {"error": "« page » doit être un entier entre 1 et 100000."}


def test_hostile_ids_and_names_in_paths_are_404(world):
    entry, document = world["entry"], world["document"]
    huge = "9" * 25
    paths = [
        f"/services/{entry.pk}-{entry.slug}/",
        f"/services/{huge}-mairie/",
        f"/services/{'9' * 5000}-mairie/",
        f"/services/0-{'x' * 10_000}/",
        f"/en/services/{huge}-mairie/",
        f"/documents/{huge}/budget.txt",
        f"/documents/{document.pk}/{'x' * 5000}.txt",
        f"/documents/{document.pk}/%00.txt",
        f"/documents/{document.pk}/%ff.txt",
        "/%00/",
        "/%ff/",
        "/mairie/%ed%a0%80/",
        f"/{'a' * 10_000}/",
        "/agenda/ical/%00/",
        "/actualites/rss/../../",
        "/sitemap.xml/../",
    ]
    for path in paths:
        _check(world["commune"], path, "", expected=(200, 301, 302, 404))
    _check(world["commune"], f"/documents/{document.pk}/budget.txt", "", expected=(200,))


def test_the_contact_form_answers_junk_with_400_and_messages(world):
    from communes.tests.test_commune_sites import contact_data

    client = world["commune"]
    fields = list(contact_data())
    for i, name in enumerate(fields):
        for j, value in enumerate(
            ["", "\x00", "a\x00b", "x" * 10_000, "%ff", "éà🦆", '"><script>', "9" * 5000]
        ):
            # One address each: the rate limit is not what this test is about.
            address = f"198.51.100.{i * 10 + j}"
            response = client.post("/contact/", contact_data(**{name: value}), REMOTE_ADDR=address)
            assert response.status_code in (200, 400), (name, value[:20], response.status_code)
    response = client.post("/contact/", {"nom_et_prenom": ["a", "b"], "zzz": "\x00"})
    assert response.status_code == 400
    assert "Champ requis." in response.content.decode()
    # Not the form's encoding: no 500 either.
    response = client.generic(
        "POST", "/contact/", b"\xff\xfe\x00=%ff", "application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 429)
