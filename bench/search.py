"""Search benchmark: the visitors' search over the whole Pays and 2,000 PDF minutes.

    .venv/bin/python bench/search.py [--sites 160] [--documents 2000] [--samples 200] [--keep]

On a throwaway database of the kind DATABASE_URL names (PostgreSQL `<name>_bench_search`,
made and dropped through the `postgres` maintenance database unless --keep; otherwise a
temporary SQLite file), with media files in a temporary directory: migrates, loads the
shipped registry, provisions the Pays, its groupings and `--sites` communes, creates the demo
content and the demo directory, then generates `--documents` PDF minutes of one to three
pages, one in twenty of 10 to 30 (deliberations on the cantine, the voirie, the budget, the
assainissement, the subsidies…, a few with a rare word) in the communes' collections,
attaches some to council meetings, and indexes everything with
`search.indexing.reindex(extract=True)`, then vacuums and analyzes (as autovacuum would).

Then times, warm, `search.services.search()` Pays-wide (`portal=True`, with facets) and on
one commune's site at a time, `--samples` times per family of queries (common words, accents
left out, two words, rare words, commune names, filtered, no result, pathological), and
`suggest()`. Prints p50 / p95 / max, SQL queries per call and the size of the index.

Targets: p95 ≤ 50 ms Pays-wide and ≤ 10 ms on a site. Prints figures; asserts nothing.
"""

import argparse
import io
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

from bench.provision import (  # noqa: E402
    ThrowawayDatabase,
    load_shipped_registry,
    vendor,
)

PORTAL_TARGET_MS = 50.0
SITE_TARGET_MS = 10.0
DUMMY_TASKS = "django_tasks.backends.dummy.DummyBackend"

# Words found in three documents or so: a query that hits few rows.
RARE_WORDS = """
    brimborion galimatias tohubohu hurluberlu escarbille ribambelle cacochyme billevesee
    calembredaine coquecigrue faribole fanfreluche gargouillis mirliton pimprenelle
    saperlipopette turlupin carabistouille chafouin farfadet gloubiboulga ornithorynque
    tarabiscot zinzolin
""".split()  # noqa: SIM905 - a word list reads better as text
RARE_PER_WORD = 3
# One document in this many has 10 to 30 pages.
LONG_EVERY = 20


# -- minutes of council meetings ---------------------------------------------------------------

STREETS = [
    "route du Moulin", "chemin des Vignes", "rue de l'Église", "impasse des Tilleuls",
    "route de Bergerac", "chemin du Lavoir", "place du Marché", "rue des Écoles",
    "voie communale n° 4", "chemin rural de la Combe",
]  # fmt: skip
COMPANIES = [
    "Colas Sud-Ouest", "Eurovia Aquitaine", "SARL Delmas TP", "Entreprise Faure et fils",
    "SAUR", "Veolia Eau", "Société Périgord Réseaux", "Bâtiments du Bergeracois",
]  # fmt: skip
ASSOCIATIONS = [
    "le comité des fêtes", "l'amicale laïque", "le club des aînés", "l'association de chasse",
    "la société de pêche", "le football club", "les amis du patrimoine", "la bibliothèque",
]  # fmt: skip
TOPICS = {
    "cantine": [
        "Tarifs de la cantine scolaire à compter de la rentrée",
        "Le maire rappelle que le prix du repas à la cantine scolaire est de {price} euros "
        "depuis {year}. Compte tenu de la hausse du coût des denrées, il propose de le porter "
        "à {price2} euros pour les élèves de l'école élémentaire et de maintenir le tarif "
        "réduit pour les familles dont le quotient familial est inférieur à {amount} euros.",
        "Le conseil municipal, après en avoir délibéré, approuve les nouveaux tarifs de la "
        "restauration scolaire et autorise le maire à signer la convention avec le "
        "prestataire chargé de la livraison des repas en liaison froide.",
        "La commission des affaires scolaires a examiné la fréquentation de la cantine : "
        "{count} enfants déjeunent chaque jour, dont une part croissante de produits locaux "
        "et biologiques conformément à la loi Égalim.",
    ],
    "voirie": [
        "Programme de travaux de voirie communale",
        "Le premier adjoint présente le programme annuel de travaux de voirie : réfection "
        "de la chaussée {street}, reprise des accotements et curage des fossés {street2}, "
        "pour un montant estimé à {amount} euros hors taxes.",
        "Après consultation, l'offre de l'entreprise {company} est retenue comme "
        "économiquement la plus avantageuse. Les travaux débuteront au mois de {month} et la "
        "circulation sera alternée pendant la durée du chantier.",
        "Le conseil sollicite l'aide du Département au titre du fonds de voirie et "
        "autorise le maire à signer les pièces du marché de travaux.",
    ],
    "budget": [
        "Vote du budget primitif {year}",
        "Le maire présente le budget primitif de l'exercice {year}, qui s'équilibre en "
        "section de fonctionnement à {amount} euros et en section d'investissement à "
        "{amount2} euros. Les taux d'imposition restent inchangés.",
        "Décision modificative n° {number} : des crédits sont virés du chapitre 022 "
        "(dépenses imprévues) au chapitre 21 pour l'achat de matériel technique.",
        "Le compte administratif de l'exercice précédent fait apparaître un excédent de "
        "fonctionnement de {amount2} euros, affecté pour partie à la section "
        "d'investissement. Le conseil approuve le compte de gestion du comptable public.",
    ],
    "assainissement": [
        "Assainissement collectif et station d'épuration",
        "Le rapport annuel sur le prix et la qualité du service public de l'assainissement "
        "est présenté au conseil : {count} abonnés sont raccordés au réseau collectif et la "
        "station d'épuration fonctionne de manière satisfaisante.",
        "Une étude diagnostique du réseau d'eaux usées {street} est confiée au bureau "
        "d'études, avec le concours de l'Agence de l'eau Adour-Garonne.",
        "La redevance d'assainissement est fixée à {price} euros par mètre cube, la part "
        "fixe de l'abonnement restant inchangée. Le service public d'assainissement non "
        "collectif (SPANC) reste assuré par la communauté de communes.",
    ],
    "subventions": [
        "Attribution des subventions aux associations",
        "Sur proposition de la commission de la vie associative, le conseil attribue une "
        "subvention de {price}00 euros à {association} et une subvention exceptionnelle de "
        "{amount} euros à {association2} pour l'organisation de la fête du village.",
        "Le conseil sollicite une subvention au titre de la dotation d'équipement des "
        "territoires ruraux (DETR) pour la rénovation énergétique de la salle des fêtes.",
        "Les associations bénéficiaires devront produire leur bilan financier avant le "
        "{day} {month}.",
    ],
    "personnel": [
        "Personnel communal : tableau des effectifs",
        "Le maire propose la création d'un poste d'adjoint technique territorial à temps "
        "non complet ({count} heures hebdomadaires) pour l'entretien des espaces verts et "
        "des bâtiments communaux.",
        "Le conseil adopte le régime indemnitaire tenant compte des fonctions, des sujétions "
        "et de l'expertise (RIFSEEP) pour les agents de la commune.",
    ],
    "urbanisme": [
        "Plan local d'urbanisme intercommunal",
        "Le conseil émet un avis favorable sur le projet de plan local d'urbanisme "
        "intercommunal arrêté par la communauté de communes, sous réserve du classement en "
        "zone constructible des parcelles situées {street}.",
        "Le droit de préemption urbain est exercé sur la parcelle cadastrée section {letter} "
        "n° {number} en vue de l'aménagement d'un parking près de l'école.",
    ],
    "eclairage": [
        "Éclairage public et économies d'énergie",
        "Afin de réduire la facture d'électricité, l'éclairage public sera éteint de 23 "
        "heures à 6 heures dans l'ensemble du bourg, à l'exception de la {street}.",
        "Le remplacement de {count} luminaires par des lanternes à LED est confié au "
        "syndicat départemental d'énergies pour un montant de {amount} euros.",
    ],
    "cimetiere": [
        "Cimetière communal : tarifs des concessions",
        "Les tarifs des concessions sont fixés à {price}0 euros pour une concession "
        "trentenaire et à {amount} euros pour une case du columbarium. Une procédure de "
        "reprise des concessions en état d'abandon est engagée.",
    ],
}
MONTHS = (  # noqa: SIM905 - a word list reads better as text
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()
OPENING = [
    "Commune de {name} — Procès-verbal de la séance du conseil municipal du {day} {month} {year}.",
    "L'an {year}, le {day} {month} à 18 h 30, le conseil municipal de la commune de {name}, "
    "dûment convoqué, s'est réuni en session ordinaire à la mairie, sous la présidence de "
    "Madame Claire Exemple, maire.",
    "Présents : {count} conseillers municipaux. Absents excusés : deux conseillers, ayant "
    "donné pouvoir. Secrétaire de séance : Monsieur Marc Démo.",
    "Le procès-verbal de la séance précédente est adopté à l'unanimité.",
]
CLOSING = [
    "Questions diverses : les horaires d'ouverture de la mairie restent inchangés ; le "
    "secrétariat est ouvert du lundi au vendredi de 9 heures à 12 heures.",
    "Le maire informe le conseil que la prochaine réunion avec la commune de {neighbour} "
    "portera sur la mutualisation du matériel de voirie.",
    "L'ordre du jour étant épuisé, la séance est levée à {hour} heures.",
]
LINE_CHARS = 95
LINES_PER_PAGE = 52


def wrap(paragraph, width=LINE_CHARS):
    lines, line = [], ""
    for word in paragraph.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def minutes_text(rng, name, neighbour, rare=(), pages=None):
    """The paragraphs of one session's minutes, of one to three pages (or `pages`)."""
    values = {
        "name": name,
        "neighbour": neighbour,
        "year": rng.randint(2019, 2025),
        "day": rng.randint(1, 28),
        "month": rng.choice(MONTHS),
        "count": rng.randint(8, 180),
        "hour": rng.randint(20, 23),
    }
    # Lines to fill, the closing paragraphs left out.
    target = (pages or rng.choice((1, 1, 2, 2, 2, 3))) * LINES_PER_PAGE - 8
    paragraphs = [p.format(**values) for p in OPENING]
    size = sum(len(wrap(p)) for p in paragraphs)
    number = 0
    topics = list(TOPICS)
    rng.shuffle(topics)
    rare = list(rare)
    while size < target:
        topic = TOPICS[topics[number % len(topics)]]
        number += 1
        values |= {
            "price": f"{rng.randint(2, 4)},{rng.randint(0, 99):02d}",
            "price2": f"{rng.randint(3, 5)},{rng.randint(0, 99):02d}",
            "amount": f"{rng.randint(1, 900) * 100:,}".replace(",", " "),
            "amount2": f"{rng.randint(100, 4000) * 1000:,}".replace(",", " "),
            "street": rng.choice(STREETS),
            "street2": rng.choice(STREETS),
            "company": rng.choice(COMPANIES),
            "association": rng.choice(ASSOCIATIONS),
            "association2": rng.choice(ASSOCIATIONS),
            "number": rng.randint(1, 400),
            "letter": rng.choice("ABCDEFGH"),
        }
        body = [p.format(**values) for p in topic[1:]]
        rng.shuffle(body)
        body = body[: rng.randint(2, len(body))] if len(body) > 2 else body
        if rare:
            body.append(
                f"Le conseil prend acte du courrier des riverains du lieu-dit {rare.pop()} "
                "concernant l'entretien du chemin."
            )
        text = [f"Délibération n° {values['year']}-{number:02d} : " + topic[0].format(**values)]
        text += body
        text.append(
            rng.choice(
                [
                    "Adopté à l'unanimité.",
                    f"Adopté par {rng.randint(7, 14)} voix pour et {rng.randint(1, 3)} "
                    "abstentions.",
                    "Adopté à la majorité, un conseiller ayant voté contre.",
                ]
            )
        )
        paragraphs += text
        size += sum(len(wrap(p)) for p in text)
    paragraphs += [p.format(**values) for p in CLOSING]
    return paragraphs


def pdf(paragraphs):
    """A PDF of as many A4 pages as the text takes (Helvetica 10), and its page count."""
    from sitefactory.services.demo_files import minimal_pdf

    lines = [line for p in paragraphs for line in wrap(p)]
    pages = math.ceil(len(lines) / LINES_PER_PAGE)
    return minimal_pdf(lines, per_page=LINES_PER_PAGE, size=10, leading=14.5), pages


def generate_documents(count, rng):
    """`count` minutes spread over the provisioned communes, some attached to meetings."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    from communes.models import Collectivite, CouncilMeetingPage, Deliberation, SiteDocument

    communes = list(
        Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE)
        .exclude(collection=None)
        .exclude(site=None)
        .order_by("name")
    )
    rare_docs = {}
    for word in RARE_WORDS:
        for position in rng.sample(range(count), min(RARE_PER_WORD, count)):
            rare_docs.setdefault(position, []).append(word)
    documents, pages = [], 0
    for position in range(count):
        commune = communes[position % len(communes)]
        neighbour = rng.choice(communes).name
        # One in twenty is a long session with its annexes: snippets are looked for in
        # up to 100,000 characters of text.
        long = rng.randint(10, 30) if position % LONG_EVERY == LONG_EVERY - 1 else None
        paragraphs = minutes_text(
            rng, commune.name, neighbour, rare_docs.get(position, ()), pages=long
        )
        data, n = pdf(paragraphs)
        pages += n
        name = default_storage.save(
            f"documents/{commune.slug}-pv-{position:05d}.pdf", io.BytesIO(data)
        )
        documents.append(
            SiteDocument(
                title=f"Procès-verbal du conseil municipal de {commune.name} n° {position + 1}",
                file=name,
                file_size=len(data),
                collection_id=commune.collection_id,
            )
        )
    with transaction.atomic():
        SiteDocument.objects.bulk_create(documents, batch_size=500)
    # Attach one generated document per commune to its upcoming meeting (minutes) and to
    # the deliberations of its past one, so meeting entries carry their PDFs' text.
    ids_by_collection = {}
    for document in SiteDocument.objects.filter(title__contains=" n° ").order_by("pk"):
        ids_by_collection.setdefault(document.collection_id, []).append(document.pk)
    attached = 0
    with transaction.atomic():
        for commune in communes:
            ids = ids_by_collection.get(commune.collection_id, [])
            if not ids:
                continue
            home = commune.home_page
            meetings = (
                CouncilMeetingPage.objects.descendant_of(home).order_by("date")
                if home
                else CouncilMeetingPage.objects.none()
            )
            for meeting in meetings:
                if meeting.minutes_id is None and ids:
                    CouncilMeetingPage.objects.filter(pk=meeting.pk).update(minutes_id=ids.pop())
                    attached += 1
                for deliberation in Deliberation.objects.filter(page=meeting, document=None):
                    if ids:
                        deliberation.document_id = ids.pop()
                        deliberation.save(update_fields=["document"])
                        attached += 1
    return {"documents": count, "pages": pages, "attached": attached, "rare": rare_docs}


# -- measuring ---------------------------------------------------------------------------------


def percentile(sorted_values, share):
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def query_families(rng, names, rare_words):
    vocabulary = (  # noqa: SIM905
        "mairie conseil cantine voirie budget école salle fêtes travaux chemin église "
        "subvention association assainissement réseau éclairage public cimetière concession "
        "urbanisme parcelle horaires secrétariat délibération maire adjoint commune"
    ).split()

    def random_words(length):
        words = []
        while len(" ".join(words)) < length:
            words.append(rng.choice(vocabulary + rare_words + ["zorglub", "qwerty"]))
        return " ".join(words)[:length]

    return {
        "common words": [
            "conseil municipal",
            "horaires",
            "cantine",
            "mairie",
            "travaux voirie",
            "budget",
            "subventions",
            "assainissement",
        ],
        "accents left out": [
            "deliberation budget",
            "deliberations",
            "ecole",
            "eclairage public",
            "fetes",
            "seance du conseil",
        ],
        "two words": [
            "cantine scolaire",
            "salle des fêtes",
            "budget primitif",
            "station épuration",
            "concession cimetière",
            "travaux église",
            "compte administratif",
            "marché producteurs",
        ],
        "rare words": rare_words,
        "commune names": [rng.choice(names) for _ in range(12)],
        "no result": ["xylophone quantique", "kangourou", "zorglub", "wxcvbn asdfgh"],
        "pathological": [
            random_words(200),
            random_words(200),
            "a" * 300,
            "anticonstitutionnellementissimementement " + "cantine " * 30,
            "l' l' d' de la le les du des et ou " * 6,
            '\'"()*:^-~!&|<>{}[] cantine : (voirie) & budget* | "mairie" NEAR',
        ],
    }


def run_family(queries, samples, call):
    timings = []
    for i in range(samples):
        ms, _ = timed(call, queries[i % len(queries)], i)
        timings.append(ms)
    timings.sort()
    return timings


def measure(args, rare_words):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communes.models import Collectivite
    from search import services

    rng = random.Random(2025)
    communes = list(
        Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE)
        .exclude(site=None)
        .select_related("site")
        .order_by("name")
    )
    names = [c.name for c in communes]
    sites = [c.site for c in communes]
    collectivite_ids = [c.pk for c in communes]
    families = query_families(rng, names, rare_words)
    site_for = [rng.choice(sites) for _ in range(args.samples)]
    filter_for = [rng.choice(collectivite_ids) for _ in range(args.samples)]

    scopes = {
        "Pays-wide": lambda q, i: services.search(q, portal=True),
        "per site": lambda q, i: services.search(q, site=site_for[i % len(site_for)]),
    }
    extra = {
        "Pays-wide": {
            "filtered (kind, coll.)": (
                families["common words"] + families["two words"],
                lambda q, i: services.search(
                    q,
                    portal=True,
                    kinds=("document",),
                    collectivite_id=filter_for[i % len(filter_for)],
                ),
            ),
            "page 3": (
                families["common words"],
                lambda q, i: services.search(q, portal=True, page=3),
            ),
        },
        "per site": {},
    }
    # Warm: every query once in each scope (caches, prepared plans, the OS's page cache).
    for family in families.values():
        for q in family:
            for call in scopes.values():
                call(q, 0)

    report = {"scopes": {}, "queries": {}, "hits": {}}
    for scope, call in scopes.items():
        rows = {}
        for label, queries in families.items():
            rows[label] = run_family(queries, args.samples, call)
        for label, (queries, special) in extra[scope].items():
            for q in queries:
                special(q, 0)
            rows[label] = run_family(queries, args.samples, special)
        report["scopes"][scope] = rows

        counts, hits = {}, {}
        for label, queries in list(families.items()) + [(k, v[0]) for k, v in extra[scope].items()]:
            special = extra[scope].get(label, (None, call))[1]
            per_query = []
            totals = []
            for i, q in enumerate(queries):
                with CaptureQueriesContext(connection) as captured:
                    results = special(q, i)
                per_query.append(len(captured.captured_queries))
                totals.append(results.total)
            counts[label] = (min(per_query), max(per_query))
            hits[label] = (min(totals), statistics.median(totals), max(totals))
        report["queries"][scope] = counts
        report["hits"][scope] = hits

    prefixes = ["ca", "cant", "cantin", "mair", "conseil mun", "voi", "deliber", "bergerac sa"]
    suggest_scopes = {
        "Pays-wide": lambda q, i: services.suggest(q, portal=True),
        "per site": lambda q, i: services.suggest(q, site=site_for[i % len(site_for)]),
    }
    report["suggest"] = {}
    for scope, call in suggest_scopes.items():
        for q in prefixes:
            call(q, 0)
        timings = run_family(prefixes, args.samples, call)
        with CaptureQueriesContext(connection) as captured:
            call("cant", 0)
        report["suggest"][scope] = (timings, len(captured.captured_queries))
    return report


def index_size():
    from django.db import connection
    from django.db.models import Count

    from search.models import SearchEntry

    kinds = dict(SearchEntry.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    lines = [
        f"index rows: {sum(kinds.values())} ("
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        + ")"
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchentry'),"
                " pg_relation_size('search_searchentry'),"
                " pg_relation_size('search_entry_vector_gin'),"
                " COALESCE(pg_total_relation_size(reltoastrelid), 0)"
                " FROM pg_class WHERE relname = 'search_searchentry'"
            )
            total, heap, gin, toast = cursor.fetchone()
            cursor.execute(
                "SELECT avg(pg_column_size(vector)), avg(pg_column_size(body))"
                " FROM search_searchentry"
            )
            vector, body = cursor.fetchone()
            lines.append(
                f"search_searchentry: {total / 2**20:.1f} MB in all (heap {heap / 2**20:.1f} MB, "
                f"TOAST {toast / 2**20:.1f} MB, GIN {gin / 2**20:.1f} MB); "
                f"average stored vector {float(vector or 0) / 1024:.1f} KB, "
                f"body {float(body or 0) / 1024:.1f} KB"
            )
        else:
            cursor.execute("SELECT COUNT(*), COALESCE(SUM(length(block)), 0) FROM search_fts_data")
            blocks, size = cursor.fetchone()
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            page_size = cursor.fetchone()[0]
            lines.append(
                f"FTS5 index (search_fts_data): {blocks} blocks, {size / 2**20:.1f} MB; "
                f"whole database file {pages * page_size / 2**20:.1f} MB ({pages} pages)"
            )
    return lines


# -- main --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=160, help="communes to provision")
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=200, help="searches per query family")
    parser.add_argument("--no-directory", action="store_true", help="skip seed_directory")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()

    db = ThrowawayDatabase(
        os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}", "search"
    )
    db.create("bastide")
    media = tempfile.mkdtemp(prefix="bastide-bench-media-")
    os.environ["DATABASE_URL"] = db.url("bastide")
    os.environ["MEDIA_ROOT"] = media
    # What publishing defers goes nowhere: the bench indexes everything itself, timed.
    os.environ["TASKS_BACKEND"] = DUMMY_TASKS
    os.environ["ELASTICSEARCH_URL"] = ""
    django.setup()

    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    try:
        run(args)
    finally:
        connection.close()
        if not args.keep:
            db.drop()
            shutil.rmtree(media, ignore_errors=True)
        else:
            kept = db.names["bastide"]
            if not db.postgres:
                # The SQLite file lives in a directory removed at exit: keep a copy.
                kept = str(Path(tempfile.mkdtemp(prefix="bastide-bench-")) / "search.sqlite3")
                shutil.copyfile(db.names["bastide"], kept)
            print(f"Kept: database {kept}, media {media}")


def run(args):
    from django.core.management import call_command
    from django.db import connection
    from django_tasks import default_task_backend

    from communes.models import Collectivite
    from search import indexing
    from sitefactory.services.demo_content import create_demo_content
    from sitefactory.services.provisioning import provision

    rng = random.Random(24)
    devnull = open(os.devnull, "w")  # noqa: SIM115

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    loaded = load_shipped_registry()
    communes = list(
        Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE)
        .order_by("name")
        .values_list("pk", flat=True)[: args.sites]
    )
    chosen = Collectivite.objects.exclude(kind=Collectivite.Kind.COMMUNE) | (
        Collectivite.objects.filter(pk__in=communes)
    )
    provisioned = provision(chosen).summary
    demo = create_demo_content()
    directory = "skipped"
    if not args.no_directory:
        t = time.perf_counter()
        call_command("seed_directory", stdout=devnull)
        directory = f"seeded in {time.perf_counter() - t:.1f} s"
    default_task_backend.clear()
    t = time.perf_counter()
    generated = generate_documents(args.documents, rng)
    generate_s = time.perf_counter() - t
    default_task_backend.clear()
    setup_s = time.perf_counter() - started

    t = time.perf_counter()
    counts = indexing.reindex(extract=True)
    reindex_s = time.perf_counter() - t
    default_task_backend.clear()
    # What autovacuum does within a minute of a reindex (the rows were written twice):
    # measured without it, the searches share the two cores with autovacuum.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")

    rare_words = sorted({w for words in generated["rare"].values() for w in words})
    t = time.perf_counter()
    report = measure(args, rare_words)
    measure_s = time.perf_counter() - t

    print(
        f"Search benchmark — {vendor()} — {len(communes)} communes provisioned "
        f"({provisioned}); demo content: {demo.filled} communes filled"
    )
    print(f"registry: {loaded}; directory: {directory}")
    print(
        f"{generated['documents']} PDF minutes generated in {generate_s:.1f} s "
        f"({generated['pages']} pages, {generated['pages'] / max(generated['documents'], 1):.1f}"
        f" per document; {generated['attached']} attached to meetings; "
        f"{len(rare_words)} rare words in {RARE_PER_WORD} documents each); "
        f"setup {setup_s:.1f} s in all (not counted)"
    )
    total = sum(counts.values())
    print(
        f"reindex(extract=True): {reindex_s:.1f} s for {total} entries "
        f"({', '.join(f'{n} {k}' for k, n in counts.items())}), "
        f"{1000 * reindex_s / max(total, 1):.1f} ms per entry"
    )
    for line in index_size():
        print(line)
    print()
    print_report(args, report)
    print(f"\n(measuring took {measure_s:.1f} s)")


def print_report(args, report):
    targets = {"Pays-wide": PORTAL_TARGET_MS, "per site": SITE_TARGET_MS}
    header = f"{'':26}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'SQL':>7}{'hits (min/med/max)':>22}"
    verdicts = []
    for scope, rows in report["scopes"].items():
        print(f"search(), {scope} — {args.samples} samples per family, warm")
        print(header)
        print("-" * len(header))
        pooled = []
        for label, timings in rows.items():
            pooled += timings
            low, high = report["queries"][scope][label]
            sql = f"{low}" if low == high else f"{low}–{high}"
            h = report["hits"][scope][label]
            hits = f"{h[0]}/{h[1]:g}/{h[2]}"
            print(
                f"{label:26}{statistics.median(timings):>8.1f}{percentile(timings, 0.95):>8.1f}"
                f"{timings[-1]:>8.1f}{sql:>7}{hits:>22}"
            )
        pooled.sort()
        print("-" * len(header))
        p95 = percentile(pooled, 0.95)
        print(f"{'all families':26}{statistics.median(pooled):>8.1f}{p95:>8.1f}{pooled[-1]:>8.1f}")
        worst = max(rows, key=lambda label: percentile(rows[label], 0.95))
        verdicts.append(
            f"target met, {scope} p95 ≤ {targets[scope]:g} ms: "
            f"{'yes' if p95 <= targets[scope] else 'no'} (all families {p95:.1f} ms; worst "
            f"family '{worst}' {percentile(rows[worst], 0.95):.1f} ms)"
        )
        print()
    for scope, (timings, sql) in report["suggest"].items():
        timings = sorted(timings)
        print(
            f"suggest(), {scope}: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {percentile(timings, 0.95):.1f} ms, max {timings[-1]:.1f} ms, {sql} SQL"
        )
    print()
    for line in verdicts:
        print(line)


if __name__ == "__main__":
    main()
