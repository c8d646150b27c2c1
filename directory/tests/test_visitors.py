"""What visitors see of the directory: the list around a commune, an entry's page, the
GeoJSON, and the nearest services on a commune's home page."""

import datetime
import json
import re
from html import unescape

import pytest
from django.utils import timezone

from communes.services.hours import paris_now
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, host_client
from directory.models import Category, HoursException, OpeningHours, ServiceEntry

KM_LAT = 1 / 111.2  # degrees of latitude per kilometre, near enough


def make_entry(name, category, commune, north_km=0.0, **fields):
    """An entry `north_km` north of its commune's centre (None: no position)."""
    values = {
        "name": name,
        "category": Category.objects.get(slug=category),
        "commune": commune,
        "postcode": (commune.postcodes or [""])[0],
        "city": commune.name,
        "address": "1 place de la Mairie",
    }
    if north_km is not None:
        values.update(latitude=commune.latitude + north_km * KM_LAT, longitude=commune.longitude)
    values.update(fields)
    return ServiceEntry.objects.create(**values)


@pytest.fixture
def places(communes):
    for collectivite in communes.values():
        collectivite.refresh_from_db()
    return communes


@pytest.fixture
def entries(places):
    a, b, c = places[COMMUNE_A], places[COMMUNE_B], places[COMMUNE_C]
    mairie = make_entry("Mairie de Bergerac", "mairie", a, 0.5, phone="05 53 74 66 66")
    for weekday in range(7):
        OpeningHours.objects.create(
            entry=mairie,
            weekday=weekday,
            morning_open=datetime.time(0, 0),
            morning_close=datetime.time(23, 59),
        )
    return {
        "mairie": mairie,
        "france_services": make_entry("France Services de Bergerac", "france-services", a, 3),
        "sante_a": make_entry("Centre de santé de Bergerac", "sante", a, 8),
        "no_position": make_entry("Permanence CAF de Bergerac", "caf", a, None),
        "lalinde": make_entry("Maison de santé de Lalinde", "sante", b, 0.2),
        "eymet": make_entry("Pharmacie d'Eymet", "sante", c, 0.1),
        "archived": make_entry(
            "Ancienne trésorerie", "impots", a, 0.2, status=ServiceEntry.Status.ARCHIVED
        ),
    }


def late_evening():
    """The mairie of the fixture closes at 23:59 every day."""
    return paris_now().time() >= datetime.time(23, 59)


def names(html):
    """The entries listed, in order."""
    return [unescape(name) for name in re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)]


def jsonld(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1, found
    return json.loads(found[0])


# --- The list ------------------------------------------------------------------------------


def test_a_commune_site_lists_what_is_near_it_nearest_first(places, entries):
    client = host_client(places[COMMUNE_A].hostname)
    response = client.get("/services/")
    assert response.status_code == 200
    html = response.content.decode()
    assert names(html) == [
        "Mairie de Bergerac",
        "France Services de Bergerac",
        "Centre de santé de Bergerac",
    ]
    assert "3 services à moins de 10 km de Bergerac" in html
    assert "à 0,5 km" in html and "à 3,0 km" in html
    assert "Ancienne trésorerie" not in html
    assert "Ouvert jusqu&#x27;à" in html or late_evening()
    assert 'href="tel:0553746666"' in html
    assert f'href="/services/{entries["mairie"].pk}-mairie-de-bergerac/"' in html
    # Without JavaScript the map's panel stays hidden, and nothing outside is referenced.
    assert "tile.openstreetmap.org" in html  # in a data attribute, for the script
    # Nothing loaded from elsewhere (hreflang alternates are absolute by rule, and load nothing).
    assert not re.search(
        r'<(img|script|link)(?![^>]*rel="alternate")[^>]+(src|href)="https?://', html
    )


def test_the_portal_lists_every_active_entry_a_to_z(portal_client, entries):
    html = portal_client.get("/services/").content.decode()
    assert names(html) == sorted(
        (e.name for key, e in entries.items() if key != "archived"), key=str.casefold
    )
    assert " km" not in "".join(re.findall(r'<p class="meta">[^<]*</p>', html))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "?categorie=sante&distance=50",
            ["Centre de santé de Bergerac", "Maison de santé de Lalinde", "Pharmacie d'Eymet"],
        ),  # noqa: E501
        ("?categorie=sante&distance=10", ["Centre de santé de Bergerac"]),
        ("?distance=2", ["Mairie de Bergerac"]),
        ("?distance=5", ["Mairie de Bergerac", "France Services de Bergerac"]),
        # A commune chosen: its entries (those without a position last), whatever the radius.
        (
            f"?commune={COMMUNE_A}&distance=2",
            [
                "Mairie de Bergerac",
                "France Services de Bergerac",
                "Centre de santé de Bergerac",
                "Permanence CAF de Bergerac",
            ],
        ),
        (f"?commune={COMMUNE_B}", ["Maison de santé de Lalinde"]),
        # Near a postcode, a name, or the visitor's position.
        ("?pres=24150&distance=5", ["Maison de santé de Lalinde"]),
        ("?pres=eymet", ["Pharmacie d'Eymet"]),
        ("?pres=24500+Eymet", ["Pharmacie d'Eymet"]),
        ("?pres=&lat=44.8404&lon=0.7419&distance=2", ["Maison de santé de Lalinde"]),
    ],
)
def test_filters(places, entries, query, expected):
    response = host_client(places[COMMUNE_A].hostname).get("/services/" + query)
    assert response.status_code == 200, response.content.decode()
    assert names(response.content.decode()) == expected


def test_a_postcode_centres_the_list_on_its_commune(places, entries):
    html = host_client(places[COMMUNE_A].hostname).get("/services/?pres=24150").content.decode()
    assert "à moins de 10 km de Lalinde" in html
    assert names(html)[0] == "Maison de santé de Lalinde"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?categorie=nope", "Sélectionnez un choix valide"),
        ("?commune=99999", "Sélectionnez un choix valide"),
        ("?distance=7", "Sélectionnez un choix valide"),
        ("?distance=abc", "Sélectionnez un choix valide"),
        ("?pres=75001", "Aucune commune du Pays ne correspond à « 75001 »"),
        ("?pres=Atlantide", "Aucune commune du Pays ne correspond à « Atlantide »"),
        ("?lat=abc&lon=0.5", "Saisissez un nombre"),
        ("?lat=95&lon=0.5", "inférieure ou égale à 90"),
        ("?lat=nan&lon=0.5", "Saisissez un nombre"),
        ("?lat=44.8", "Votre position est incomplète"),
        ("?pres=" + "x" * 200, "au plus 100 caractères"),
    ],
)
def test_bad_filter_values_are_answered_with_the_form_errors(places, entries, query, message):
    response = host_client(places[COMMUNE_A].hostname).get("/services/" + query)
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="form-errors" role="alert".*?</div>', html, re.S).group()
    assert message in summary.replace("&#x27;", "'").replace("&nbsp;", " "), summary
    # The list is still there, as without the filter.
    assert names(html)[0] == "Mairie de Bergerac"
    if "distance" not in query:
        assert '<option value="10" selected>10 km</option>' in html


def test_an_invalid_field_says_so_to_screen_readers(places, entries):
    html = host_client(places[COMMUNE_A].hostname).get("/services/?pres=75001").content.decode()
    field = re.search(r"<input[^>]+id=\"id_pres\"[^>]*>", html).group()
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_pres_helptext id_pres-error"' in field
    assert 'id="id_pres-error"' in html
    assert 'href="#id_pres"' in html


def test_the_list_is_paginated(places, entries):
    a = places[COMMUNE_A]
    for number in range(30):
        make_entry(f"Assistante maternelle {number:02d}", "petite-enfance", a, 1 + number / 10)
    client = host_client(a.hostname)
    first = client.get("/services/?categorie=petite-enfance").content.decode()
    assert len(names(first)) == 25
    assert "30 services à moins de 10 km de Bergerac" in first
    assert '<nav class="pagination" aria-label="Pages de résultats">' in first
    assert 'href="?categorie=petite-enfance&amp;page=2" rel="next"' in first
    assert 'aria-current="page"' in first
    second = client.get("/services/?categorie=petite-enfance&page=2").content.decode()
    assert names(second) == [f"Assistante maternelle {n:02d}" for n in range(25, 30)]
    assert 'rel="prev"' in second
    # A page number out of range or not a number shows a page, not an error.
    assert client.get("/services/?page=abc").status_code == 200
    assert client.get("/services/?page=999").status_code == 200


def test_the_list_costs_few_queries(places, portal_client, entries, django_assert_max_num_queries):
    commune = host_client(places[COMMUNE_A].hostname)
    for client, path in (
        (commune, "/services/"),
        (commune, "/services/?categorie=sante&distance=50"),
        (commune, "/services/?pres=24150"),
        (commune, f"/services/?commune={COMMUNE_B}"),
        (portal_client, "/services/"),
    ):
        client.get(path)
        client.get(path)
        with django_assert_max_num_queries(6):
            assert client.get(path).status_code == 200, path


# --- One entry -----------------------------------------------------------------------------


def test_an_entry_page(places, entries):
    mairie = entries["mairie"]
    mairie.accessibility = "Accès de plain-pied, boucle magnétique à l'accueil."
    mairie.email = "accueil@bergerac.example"
    mairie.website = "https://www.bergerac.example/"
    mairie.position_approximate = True
    mairie.save()
    today = paris_now().date()
    HoursException.objects.create(
        entry=mairie,
        date_from=today + datetime.timedelta(days=3),
        label="Fête de la ville",
        closed=True,
    )
    HoursException.objects.create(entry=mairie, date_from=today - datetime.timedelta(days=30))
    client = host_client(places[COMMUNE_A].hostname)
    response = client.get(f"/services/{mairie.pk}-mairie-de-bergerac/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Mairie de Bergerac</h1>" in html
    assert "Ouvert jusqu&#x27;à" in html or late_evening()
    assert '<th scope="col">Jour</th>' in html and '<th scope="row">Lundi</th>' in html
    assert "00h00 – 23h59" in html
    assert "Fête de la ville" in html
    assert html.count("fermé") == 1  # the exception to come, not the one gone by
    assert 'href="tel:0553746666"' in html
    assert 'href="mailto:accueil@bergerac.example"' in html
    assert ">bergerac.example</a>" in html
    assert "Accès de plain-pied" in html
    assert "Position approximative" in html
    assert mairie.route_url().replace("&", "&amp;") in html and ">Itinéraire<" in html
    assert "Voir sur la carte" in html and "openstreetmap.org/?mlat=" in html
    assert "Source" in html and "Mise à jour le" in html

    # Every site has a page for it; search engines are sent to the portal's.
    canonical = f"http://pays.test/services/{mairie.pk}-mairie-de-bergerac/"
    assert f'<link rel="canonical" href="{canonical}">' in html

    data = jsonld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@id"] == canonical
    assert data["@type"] == "GovernmentOffice"
    assert data["name"] == "Mairie de Bergerac"
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": mairie.latitude,
        "longitude": mairie.longitude,
    }
    assert data["address"]["@type"] == "PostalAddress"
    assert data["address"]["postalCode"] == "24100"
    assert data["telephone"] == "05 53 74 66 66"
    assert data["email"] == "accueil@bergerac.example"
    assert data["url"] == "https://www.bergerac.example/"
    days = {spec["dayOfWeek"] for spec in data["openingHoursSpecification"] if "dayOfWeek" in spec}
    assert "https://schema.org/Monday" in days and len(days) == 7
    closed = [spec for spec in data["openingHoursSpecification"] if "validFrom" in spec]
    assert closed == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": (today + datetime.timedelta(days=3)).isoformat(),
            "validThrough": (today + datetime.timedelta(days=3)).isoformat(),
            "opens": "00:00",
            "closes": "00:00",
        }
    ]


def test_a_private_business_is_a_local_business_and_its_json_ld_cannot_break_out(places, entries):
    entry = make_entry(
        "Café </script><script>alert(1)</script> & Cie", "producteurs", places[COMMUNE_A], 1
    )
    client = host_client(places[COMMUNE_A].hostname)
    response = client.get(f"/services/{entry.pk}-{entry.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html
    data = jsonld(html)
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == entry.name
    assert "openingHoursSpecification" not in data
    assert "Horaires non communiqués" in html


def test_an_entry_without_hours_or_position(places, entries):
    entry = entries["no_position"]
    html = (
        host_client(places[COMMUNE_A].hostname)
        .get(f"/services/{entry.pk}-{entry.slug}/")
        .content.decode()
    )
    assert "Itinéraire" not in html
    assert "geo" not in jsonld(html)


def test_an_entry_redirects_to_its_canonical_address(places, entries):
    mairie = entries["mairie"]
    client = host_client(places[COMMUNE_A].hostname)
    response = client.get(f"/services/{mairie.pk}-ancien-nom/")
    assert response.status_code == 301
    assert response["Location"] == f"/services/{mairie.pk}-mairie-de-bergerac/"


def test_archived_and_unknown_entries_are_not_found(places, entries):
    client = host_client(places[COMMUNE_A].hostname)
    archived = entries["archived"]
    assert client.get(f"/services/{archived.pk}-{archived.slug}/").status_code == 404
    assert client.get("/services/999999-inconnu/").status_code == 404


def test_an_entry_costs_few_queries(places, entries, django_assert_max_num_queries):
    client = host_client(places[COMMUNE_A].hostname)
    path = f"/services/{entries['mairie'].pk}-mairie-de-bergerac/"
    client.get(path)
    client.get(path)
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200


# --- GeoJSON -------------------------------------------------------------------------------


def test_geojson_lists_the_active_entries_that_have_a_position(portal_client, entries):
    response = portal_client.get("/api/services.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    with_position = [e for key, e in entries.items() if key not in ("archived", "no_position")]
    assert data["numberMatched"] == data["numberReturned"] == len(with_position)
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    assert set(by_id) == {e.pk for e in with_position}
    mairie = entries["mairie"]
    feature = by_id[mairie.pk]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [mairie.longitude, mairie.latitude],
    }
    properties = feature["properties"]
    assert properties["name"] == "Mairie de Bergerac"
    assert properties["category"] == "mairie"
    assert properties["category_label"] == "Mairies"
    assert properties["commune"] == COMMUNE_A
    assert properties["postcode"] == "24100"
    assert properties["phone"] == "05 53 74 66 66"
    assert properties["position_approximate"] is False
    assert properties["url"] == f"http://pays.test/services/{mairie.pk}-mairie-de-bergerac/"
    assert "distance_km" not in properties
    assert host_client("pays.test").get(properties["url"]).status_code == 200


def test_geojson_answers_on_any_site(places, entries):
    response = host_client(places[COMMUNE_B].hostname).get("/api/services.geojson")
    assert response.status_code == 200
    assert json.loads(response.content)["numberMatched"] == 5


def test_geojson_is_paginated(portal_client, entries):
    first = json.loads(portal_client.get("/api/services.geojson?page_size=2").content)
    assert first["numberMatched"] == 5 and first["numberReturned"] == 2
    links = {link["rel"]: link["href"] for link in first["links"]}
    assert "prev" not in links
    assert links["next"] == "http://pays.test/api/services.geojson?page_size=2&page=2"
    second = json.loads(portal_client.get(links["next"]).content)
    links = {link["rel"]: link["href"] for link in second["links"]}
    assert set(links) == {"self", "next", "prev"}
    third = json.loads(portal_client.get(links["next"]).content)
    assert third["numberReturned"] == 1
    assert "next" not in {link["rel"] for link in third["links"]}
    seen = [f["id"] for page in (first, second, third) for f in page["features"]]
    assert len(set(seen)) == 5
    beyond = json.loads(portal_client.get("/api/services.geojson?page_size=2&page=9").content)
    assert beyond["features"] == [] and beyond["numberMatched"] == 5


def test_geojson_near_sorts_by_distance_within_the_radius(places, portal_client, entries):
    a = places[COMMUNE_A]
    response = portal_client.get(
        f"/api/services.geojson?near={a.latitude},{a.longitude}&radius_km=5"
    )
    data = json.loads(response.content)
    assert [f["properties"]["name"] for f in data["features"]] == [
        "Mairie de Bergerac",
        "France Services de Bergerac",
    ]
    assert [round(f["properties"]["distance_km"]) for f in data["features"]] == [0, 3]
    default = json.loads(
        portal_client.get(f"/api/services.geojson?near={a.latitude},{a.longitude}").content
    )
    assert default["numberMatched"] == 3  # 10 km by default
    wide = json.loads(
        portal_client.get(
            f"/api/services.geojson?near={a.latitude},{a.longitude}&radius_km=50&category=sante"
        ).content
    )
    assert [f["properties"]["name"] for f in wide["features"]][0] == "Centre de santé de Bergerac"
    assert wide["numberMatched"] == 3


def test_geojson_filters_by_category_and_commune(portal_client, entries):
    sante = json.loads(portal_client.get("/api/services.geojson?category=sante").content)
    assert {f["properties"]["category"] for f in sante["features"]} == {"sante"}
    assert sante["numberMatched"] == 3
    lalinde = json.loads(portal_client.get(f"/api/services.geojson?commune={COMMUNE_B}").content)
    assert [f["properties"]["name"] for f in lalinde["features"]] == ["Maison de santé de Lalinde"]
    unknown = json.loads(portal_client.get("/api/services.geojson?commune=2A004").content)
    assert unknown["features"] == []
    ignored = portal_client.get("/api/services.geojson?foo=bar&bbox=1,2,3,4")
    assert ignored.status_code == 200


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("near=abc", "near"),
        ("near=44.8", "near"),
        ("near=44.8,0.5,3", "near"),
        ("near=44.8;0.5", "near"),
        ("near=91,0.5", "latitude"),
        ("near=44.8,181", "longitude"),
        ("near=nan,0.5", "latitude"),
        ("near=44.8,inf", "longitude"),
        ("radius_km=5", "near"),
        ("near=44.8,0.5&radius_km=0", "radius_km"),
        ("near=44.8,0.5&radius_km=-3", "radius_km"),
        ("near=44.8,0.5&radius_km=201", "radius_km"),
        ("near=44.8,0.5&radius_km=abc", "radius_km"),
        ("near=44.8,0.5&radius_km=nan", "radius_km"),
        ("category=nope", "Catégorie inconnue"),
        ("commune=123", "INSEE"),
        ("commune=ABCDE", "INSEE"),
        ("commune=240370", "INSEE"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page_size=many", "page_size"),
    ],
)
def test_geojson_bad_parameters_are_refused_with_a_message(portal_client, entries, query, word):
    response = portal_client.get("/api/services.geojson?" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    error = json.loads(response.content)["error"]
    assert word in error, error


def test_geojson_costs_few_queries(places, portal_client, entries, django_assert_max_num_queries):
    a = places[COMMUNE_A]
    for query in ("", f"?near={a.latitude},{a.longitude}&radius_km=50"):
        portal_client.get("/api/services.geojson" + query)
        with django_assert_max_num_queries(3):
            assert portal_client.get("/api/services.geojson" + query).status_code == 200


# --- A commune's home page -----------------------------------------------------------------


def test_the_home_page_shows_the_nearest_services(places, entries):
    html = host_client(places[COMMUNE_A].hostname).get("/").content.decode()
    section = re.search(r'<section aria-labelledby="services-proches">.*?</section>', html, re.S)
    assert section, "no nearest services on the home page"
    section = section.group()
    assert "<h2" in section and "Services à proximité" in section
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section) == [
        "Mairie de Bergerac",
        "France Services de Bergerac",
        "Centre de santé de Bergerac",
    ]
    assert f'href="/services/{entries["mairie"].pk}-mairie-de-bergerac/"' in section
    assert "à 0,5 km" in section
    assert '<a href="/services/">Tous les services</a>' in section
    assert "Ancienne trésorerie" not in section
    assert "approximative" not in section


def test_an_approximate_position_is_said_so(places, entries):
    mairie = entries["mairie"]
    mairie.position_approximate = True
    mairie.save()
    client = host_client(places[COMMUNE_A].hostname)
    for path in ("/", "/services/"):
        html = client.get(path).content.decode()
        assert "à 0,5 km (position approximative)" in html, path


def test_the_home_page_shows_at_most_five_within_15_km(places, entries):
    a = places[COMMUNE_A]
    for number in range(6):
        make_entry(f"Boulangerie {number}", "producteurs", a, 0.1 * number)
    make_entry("Loin", "producteurs", a, 16)
    html = host_client(a.hostname).get("/").content.decode()
    section = re.search(r'aria-labelledby="services-proches">.*?</section>', html, re.S).group()
    listed = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section)
    assert len(listed) == 5 and "Loin" not in listed


def test_the_home_page_says_when_nothing_is_near(places):
    html = host_client(places[COMMUNE_C].hostname).get("/").content.decode()
    assert "Aucun service référencé à moins de 15 km." in html


def test_the_home_page_still_costs_no_more_queries_once_warm(
    places, entries, django_assert_max_num_queries
):
    client = host_client(places[COMMUNE_A].hostname)
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    with django_assert_max_num_queries(10) as captured:
        assert client.get("/").status_code == 200
    assert "directory_serviceentry" not in " ".join(q["sql"] for q in captured.captured_queries)


def test_the_nearest_services_follow_the_content_version(places, entries):
    from serving.cache import bump_content_version

    client = host_client(places[COMMUNE_A].hostname)

    def nearest():
        html = client.get("/").content.decode()
        section = re.search(r'aria-labelledby="services-proches">.*?</section>', html, re.S)
        return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section.group())

    assert "Mairie de Bergerac" in nearest()
    ServiceEntry.objects.filter(pk=entries["mairie"].pk).update(
        status=ServiceEntry.Status.ARCHIVED, updated_at=timezone.now()
    )
    assert "Mairie de Bergerac" in nearest()  # cached: the change told nobody
    bump_content_version()
    assert "Mairie de Bergerac" not in nearest()


def test_an_entry_saved_shows_at_once_on_the_home_page(places, entries):
    client = host_client(places[COMMUNE_A].hostname)
    assert client.get("/").status_code == 200
    make_entry("Épicerie solidaire", "autre", places[COMMUNE_A], 0.1)
    assert "Épicerie solidaire" in client.get("/").content.decode()
