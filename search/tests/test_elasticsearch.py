"""The Elasticsearch engine without an Elasticsearch: its index definition, the settings
that select it, and the requests it sends to a recording server that answers like ES 8."""

import datetime
import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from elasticsearch.helpers import BulkIndexError

from search.engines import Filters
from search.engines.elasticsearch import NO_COLLECTIVITE, ElasticsearchEngine, SearchUnavailable
from search.engines.elasticsearch_index import (
    ANALYZER,
    FOLDED_ANALYZER,
    PREFIX_ANALYZER,
    index_definition,
)
from search.models import SearchEntry
from search.text import STOP_WORDS, Query

ROOT = Path(__file__).resolve().parents[2]
INDEX = "test-index"
NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
FULL_TEXT = {"title", "keywords", "summary", "body"}

# --- the index definition ----------------------------------------------------------------


def test_french_analyzer_elides_folds_drops_stop_words_and_stems():
    analysis = index_definition()["settings"]["analysis"]
    chain = analysis["analyzer"][ANALYZER]
    assert chain["tokenizer"] == "standard"
    filters = {name: analysis["filter"].get(name, {"type": name}) for name in chain["filter"]}
    assert [f["type"] for f in filters.values()] == [
        "elision",
        "lowercase",
        "asciifolding",
        "stop",
        "stemmer",
    ]
    elision, _, _, stop, stemmer = filters.values()
    assert {"l", "d", "qu", "jusqu", "lorsqu"} <= set(elision["articles"])
    assert elision["articles_case"] is True
    # The folded list the queries are read with: folding runs before it, so an accented
    # list would keep "ete" or "etaient".
    assert set(stop["stopwords"]) == STOP_WORDS
    assert {"le", "la", "des", "du", "etaient"} <= set(stop["stopwords"])
    assert stemmer["language"] == "french"


def test_title_has_an_unstemmed_prefix_subfield_for_suggestions():
    definition = index_definition()
    analysis = definition["settings"]["analysis"]
    prefix = definition["mappings"]["properties"]["title"]["fields"]["prefix"]
    assert prefix["analyzer"] == PREFIX_ANALYZER
    assert prefix["search_analyzer"] == FOLDED_ANALYZER
    indexed = analysis["analyzer"][PREFIX_ANALYZER]["filter"]
    assert "asciifolding" in indexed
    assert analysis["filter"][indexed[-1]]["type"] == "edge_ngram"
    assert analysis["filter"][indexed[-1]]["min_gram"] == 2
    # The typed text is folded but neither cut into n-grams nor stemmed.
    assert analysis["analyzer"][FOLDED_ANALYZER]["filter"] == [
        "bastide_elision",
        "lowercase",
        "asciifolding",
    ]


def test_one_shard_by_default_and_as_many_as_a_cluster_is_given(settings):
    settings.ELASTICSEARCH_SHARDS, settings.ELASTICSEARCH_REPLICAS = 1, "0-1"
    default = index_definition()["settings"]
    assert default["number_of_shards"] == 1
    assert default["auto_expand_replicas"] == "0-1"
    assert "number_of_replicas" not in default
    settings.ELASTICSEARCH_SHARDS, settings.ELASTICSEARCH_REPLICAS = 6, "2"
    cluster = index_definition()["settings"]
    assert cluster["number_of_shards"] == 6
    assert cluster["number_of_replicas"] == 2
    assert "auto_expand_replicas" not in cluster


def test_every_field_is_mapped():
    mapping = index_definition()["mappings"]
    properties = mapping["properties"]
    for name in ("title", "keywords", "summary", "body"):
        assert properties[name]["type"] == "text"
        assert properties[name]["analyzer"] == ANALYZER
    assert {n: properties[n]["type"] for n in properties if n not in FULL_TEXT} == {
        "id": "integer",
        "kind": "keyword",
        "language": "keyword",
        "site_id": "integer",
        "collectivite_id": "integer",
        "date": "date",
        "expires_at": "date",
        "boost": "float",
    }
    assert mapping["dynamic"] == "strict"


# --- the settings ------------------------------------------------------------------------

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
from search.engines import get_engine
from wagtail.search.backends import get_search_backend
engine = get_engine()
backend = get_search_backend()
print(json.dumps({
    "engine": engine.name,
    "engine_class": type(engine).__module__ + "." + type(engine).__name__,
    "index": getattr(engine, "index", None),
    "vendor": connection.vendor,
    "backend": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "backend_class": type(backend).__module__ + "." + type(backend).__name__,
    "backend_bases": [c.__module__ + "." + c.__name__ for c in type(backend).__mro__],
    "urls": settings.WAGTAILSEARCH_BACKENDS["default"].get("URLS"),
    "prefix": getattr(backend, "index_prefix", None),
    "analysis": getattr(backend, "settings", {}).get("settings", {}).get("analysis"),
}))
"""


def probe(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ELASTICSEARCH_")}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.test", **env)
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_elasticsearch_url_selects_elasticsearch_for_visitors_and_the_admin():
    found = probe(ELASTICSEARCH_URL="http://127.0.0.1:9/", ELASTICSEARCH_INDEX="bastide-x")
    assert found["engine"] == "elasticsearch"
    assert found["engine_class"] == "search.engines.elasticsearch.ElasticsearchEngine"
    assert found["index"] == "bastide-x"
    assert found["backend"] == "search.engines.elasticsearch_index.AdminSearchBackend"
    assert found["backend_class"] == "search.engines.elasticsearch_index.AdminSearchBackend"
    # Wagtail's own Elasticsearch 8 backend, given the visitors' analysis.
    assert (
        "wagtail.search.backends.elasticsearch8.Elasticsearch8SearchBackend"
        in found["backend_bases"]
    )
    assert found["urls"] == ["http://127.0.0.1:9/"]
    assert found["prefix"] == "bastide-x-admin-"
    analysis = found["analysis"]
    # Wagtail's own analyzers are kept; its text fields get the French one by default.
    assert {"edgengram_analyzer", "ngram_analyzer", "default"} <= set(analysis["analyzer"])
    default = analysis["analyzer"]["default"]
    assert (
        default["filter"]
        == index_definition()["settings"]["analysis"]["analyzer"][ANALYZER]["filter"]
    )
    for name in default["filter"]:
        if name.startswith("bastide_"):
            assert name in analysis["filter"]


def test_without_elasticsearch_url_the_database_searches():
    found = probe()
    assert found["engine"] == found["vendor"] == connection.vendor
    assert found["engine"] in {"postgresql", "sqlite"}
    assert found["backend"] == "wagtail.search.backends.database"
    assert found["urls"] is None


# --- a recording server that answers like Elasticsearch 8 ----------------------------------


class FakeElasticsearch:
    """Just enough of ES 8's HTTP API; records every request."""

    def __init__(self):
        self.requests = []
        self.indexes = set()
        self.search_responses = []
        self.bulk_statuses = {}
        self.create_conflict = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def calls(self, method=None):
        return [(m, p) for m, p, _, _ in self.requests if method in (None, m)]

    def last(self, suffix):
        return [r for r in self.requests if r[1].endswith(suffix)][-1]

    def answer(self, method, path, query, body):
        parts = [p for p in path.split("/") if p]
        if method == "GET" and not parts:
            return 200, {
                "name": "fake",
                "cluster_name": "fake",
                "version": {"number": "8.19.0", "build_flavor": "default"},
                "tagline": "You Know, for Search",
            }
        if parts and parts[-1] == "_bulk":
            return 200, self._bulk(body)
        if parts and parts[-1] == "_search":
            if parts[0] not in self.indexes:
                return 404, missing(parts[0])
            response = self.search_responses.pop(0)
            return 200, response
        if parts and parts[-1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if len(parts) == 1:
            name = parts[0]
            if method == "HEAD":
                return (200 if name in self.indexes else 404), None
            if method == "PUT":
                if name in self.indexes or self.create_conflict:
                    self.indexes.add(name)
                    return 400, {
                        "error": {"type": "resource_already_exists_exception", "reason": name},
                        "status": 400,
                    }
                self.indexes.add(name)
                return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}
            if method == "DELETE":
                if name not in self.indexes:
                    return 404, missing(name)
                self.indexes.discard(name)
                return 200, {"acknowledged": True}
        return 400, {"error": {"type": "unexpected", "reason": f"{method} {path}"}}

    def _bulk(self, lines):
        items, errors = [], False
        lines = list(lines)
        while lines:
            action = lines.pop(0)
            ((op, meta),) = action.items()
            if op != "delete":
                lines.pop(0)
            status = self.bulk_statuses.get(str(meta["_id"]), 200)
            item = {"_index": meta["_index"], "_id": str(meta["_id"]), "status": status}
            if status >= 300:
                errors = True
                item["error"] = {"type": "mapper_parsing_exception", "reason": "bad"}
            items.append({op: item})
        return {"took": 1, "errors": errors, "items": items}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                if "ndjson" in (self.headers.get("Content-Type") or ""):
                    body = [json.loads(line) for line in raw.splitlines() if line.strip()]
                else:
                    body = json.loads(raw) if raw else None
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append((self.command, url.path, query, body))
                status, payload = fake.answer(self.command, url.path, query, body)
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _any

            def log_message(self, *args):
                pass

        return Handler


def missing(name):
    return {
        "error": {"type": "index_not_found_exception", "reason": f"no such index [{name}]"},
        "status": 404,
    }


def search_response(ids, total, kinds, collectivites=None):
    aggregations = {
        "kinds": {
            "doc_count": sum(kinds.values()),
            "values": {"buckets": [{"key": k, "doc_count": n} for k, n in kinds.items()]},
        }
    }
    if collectivites is not None:
        aggregations["collectivites"] = {
            "doc_count": sum(collectivites.values()),
            "values": {"buckets": [{"key": k, "doc_count": n} for k, n in collectivites.items()]},
        }
    return {
        "took": 1,
        "timed_out": False,
        "hits": {
            "total": {"value": total, "relation": "eq"},
            "max_score": None,
            "hits": [{"_index": INDEX, "_id": str(i), "_score": 1.0} for i in ids],
        },
        "aggregations": aggregations,
    }


@pytest.fixture
def fake():
    server = FakeElasticsearch()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def engine(fake):
    return ElasticsearchEngine(url=fake.url, index=INDEX, timeout=2)


def the_search(fake):
    return fake.last("/_search")[3]


def expiry_clause(now):
    return {
        "bool": {
            "should": [
                {"bool": {"must_not": {"exists": {"field": "expires_at"}}}},
                {"range": {"expires_at": {"gt": now.isoformat()}}},
            ],
            "minimum_should_match": 1,
        }
    }


# --- querying ------------------------------------------------------------------------------


def test_portal_search_filters_and_counts_each_facet_without_its_own_filter(fake, engine):
    fake.search_responses.append(
        search_response(
            [12, 5], total=2, kinds={"news": 2, "page": 4}, collectivites={7: 2, 9: 1, -1: 1}
        )
    )
    filters = Filters(kinds=("news",), collectivite_id=7, languages=("en", "fr"), now=NOW)
    hits = engine.match(Query("Délibérations du conseil"), filters, 10, 10, True, False)

    assert hits.ids == [12, 5]
    assert hits.total == 2
    assert hits.kinds == {"news": 2, "page": 4}
    assert hits.collectivites == {7: 2, 9: 1, None: 1}
    # The index is made on first use, with our definition.
    assert fake.calls()[:2] == [("HEAD", f"/{INDEX}"), ("PUT", f"/{INDEX}")]
    assert fake.requests[1][3] == json.loads(json.dumps(index_definition()))

    body = the_search(fake)
    scored = body["query"]["function_score"]
    assert scored["field_value_factor"] == {"field": "boost", "missing": 1.0}
    assert scored["boost_mode"] == "multiply"
    assert scored["query"]["bool"]["must"] == [
        {
            "multi_match": {
                "query": "deliberations conseil",
                "fields": ["title^10", "keywords^8", "summary^3", "body"],
                "type": "cross_fields",
                "operator": "and",
            }
        }
    ]
    # Site, language and expiry narrow everything; no site on the portal.
    assert scored["query"]["bool"]["filter"] == [
        {"terms": {"language": ["en", "fr"]}},
        expiry_clause(NOW),
    ]
    kind = {"terms": {"kind": ["news"]}}
    collectivite = {"term": {"collectivite_id": 7}}
    # Kind and collectivité only narrow the hits, and each the other's counts.
    assert body["post_filter"] == {"bool": {"filter": [kind, collectivite]}}
    assert body["aggs"]["kinds"]["filter"] == collectivite
    assert body["aggs"]["kinds"]["aggs"]["values"]["terms"]["field"] == "kind"
    assert body["aggs"]["collectivites"]["filter"] == kind
    assert body["aggs"]["collectivites"]["aggs"]["values"]["terms"] == {
        "field": "collectivite_id",
        "size": 1000,
        "missing": NO_COLLECTIVITE,
    }
    assert body["from"] == 10
    assert body["size"] == 10
    assert body["track_total_hits"] is True
    assert body["_source"] is False
    assert body["sort"] == [
        "_score",
        {"date": {"order": "desc", "missing": "_last"}},
        {"id": {"order": "asc"}},
    ]


def test_site_search_filters_on_the_site_and_has_no_collectivite_facet(fake, engine):
    fake.search_responses.append(search_response([3], total=1, kinds={"page": 1}))
    hits = engine.match(Query("mairie"), Filters(site_id=4, now=NOW), 0, 10, True, False)

    assert (hits.ids, hits.total, hits.kinds, hits.collectivites) == ([3], 1, {"page": 1}, {})
    body = the_search(fake)
    assert body["query"]["function_score"]["query"]["bool"]["filter"] == [
        {"term": {"site_id": 4}},
        {"terms": {"language": ["fr"]}},
        expiry_clause(NOW),
    ]
    assert "post_filter" not in body
    assert set(body["aggs"]) == {"kinds"}
    assert body["aggs"]["kinds"]["filter"] == {"match_all": {}}


def test_no_collectivite_facet_when_facets_are_not_wanted(fake, engine):
    fake.search_responses.append(search_response([], total=0, kinds={}))
    engine.match(Query("mairie"), Filters(now=NOW), 0, 10, False, False)
    assert set(the_search(fake)["aggs"]) == {"kinds"}


def test_no_hit_with_every_word_asks_again_with_any_word(fake, engine):
    fake.search_responses += [
        search_response([], total=0, kinds={}),
        search_response([8], total=1, kinds={"event": 1}),
    ]
    hits = engine.search(Query("marché nocturne"), Filters(now=NOW))

    assert (hits.ids, hits.total, hits.any_word) == ([8], 1, True)
    searches = [r[3] for r in fake.requests if r[1].endswith("/_search")]
    operators = [s["query"]["function_score"]["query"]["bool"]["must"][0] for s in searches]
    assert [o["multi_match"]["operator"] for o in operators] == ["and", "or"]


def test_an_empty_query_asks_nothing(fake, engine):
    assert engine.match(Query("le la les"), Filters(), 0, 10, True, False).ids == []
    assert engine.suggest(Query("a"), Filters()) == []
    assert fake.requests == []


def test_suggest_begins_the_last_word_in_the_title_and_requires_the_others(fake, engine):
    fake.search_responses.append(search_response([21, 4], total=2, kinds={}))
    ids = engine.suggest(Query("Conseil muni"), Filters(site_id=2, now=NOW), limit=5)

    assert ids == [21, 4]
    body = the_search(fake)
    query = body["query"]["function_score"]["query"]["bool"]
    assert query["must"] == [
        {"match": {"title.prefix": {"query": "muni"}}},
        {"match": {"title": {"query": "conseil", "operator": "and"}}},
    ]
    assert {"term": {"site_id": 2}} in query["filter"]
    assert expiry_clause(NOW) in query["filter"]
    assert body["size"] == 5
    assert "aggs" not in body


def test_a_deleted_index_finds_nothing_and_is_made_again(fake, engine):
    fake.indexes.add(INDEX)
    fake.search_responses.append(search_response([1], total=1, kinds={"page": 1}))
    assert engine.match(Query("mairie"), Filters(), 0, 10, True, False).ids == [1]
    fake.indexes.clear()
    assert engine.match(Query("mairie"), Filters(), 0, 10, True, False).ids == []
    engine.ensure_index()
    assert fake.calls()[-2:] == [("HEAD", f"/{INDEX}"), ("PUT", f"/{INDEX}")]


# --- writing -------------------------------------------------------------------------------


def entry(pk, **fields):
    values = {
        "kind": "news",
        "site_id": 3,
        "collectivite_id": 7,
        "language": "fr",
        "path": f"/actualites/{pk}/",
        "title": "Fête du village",
        "summary": "Le 14 juillet",
        "body": "Bal et feu d'artifice",
        "keywords": "",
        "boost": 1.5,
        **fields,
    }
    return SearchEntry(pk=pk, **values)


def bulk_requests(fake):
    return [r for r in fake.requests if r[1].endswith("/_bulk")]


def test_write_indexes_each_entry_under_its_id(fake, engine, settings):
    settings.ELASTICSEARCH_REFRESH = False
    fake.indexes.add(INDEX)
    date = datetime.datetime(2026, 7, 14, 21, 0, tzinfo=datetime.UTC)
    engine.write([entry(4, date=date), entry(None), entry(9, collectivite_id=None)])

    ((_, _, query, lines),) = bulk_requests(fake)
    assert "refresh" not in query
    assert [line for line in lines if "index" in line] == [
        {"index": {"_index": INDEX, "_id": "4"}},
        {"index": {"_index": INDEX, "_id": "9"}},
    ]
    assert lines[1] == {
        "id": 4,
        "title": "Fête du village",
        "keywords": "",
        "summary": "Le 14 juillet",
        "body": "Bal et feu d'artifice",
        "kind": "news",
        "language": "fr",
        "site_id": 3,
        "collectivite_id": 7,
        "date": "2026-07-14T21:00:00+00:00",
        "expires_at": None,
        "boost": 1.5,
    }
    assert lines[3]["collectivite_id"] is None
    # No PUT: the index was there.
    assert ("PUT", f"/{INDEX}") not in fake.calls()


def test_write_refreshes_when_asked(fake, engine, settings):
    settings.ELASTICSEARCH_REFRESH = True
    fake.indexes.add(INDEX)
    engine.write([entry(4)])
    assert bulk_requests(fake)[-1][2]["refresh"] == "true"


def test_a_refused_document_raises(fake, engine):
    fake.indexes.add(INDEX)
    fake.bulk_statuses["5"] = 400
    with pytest.raises(BulkIndexError):
        engine.write([entry(4), entry(5)])


def test_delete_ignores_entries_never_indexed(fake, engine):
    fake.indexes.add(INDEX)
    fake.bulk_statuses["6"] = 404
    engine.delete([5, 6])
    ((_, _, _, lines),) = bulk_requests(fake)
    assert lines == [
        {"delete": {"_index": INDEX, "_id": "5"}},
        {"delete": {"_index": INDEX, "_id": "6"}},
    ]
    engine.delete([])
    assert len(bulk_requests(fake)) == 1


def test_clear_deletes_and_recreates_the_index(fake, engine):
    fake.indexes.add(INDEX)
    engine.ensure_index()
    engine.clear()
    assert fake.calls() == [
        ("HEAD", f"/{INDEX}"),
        ("DELETE", f"/{INDEX}"),
        ("HEAD", f"/{INDEX}"),
        ("PUT", f"/{INDEX}"),
    ]
    # And when there was none.
    fake.indexes.clear()
    engine.clear()
    assert fake.calls()[-1] == ("PUT", f"/{INDEX}")


def test_drop_deletes_the_index_and_creates_none(fake, engine):
    fake.indexes.add(INDEX)
    engine.drop()
    engine.drop()
    assert fake.calls() == [("DELETE", f"/{INDEX}"), ("DELETE", f"/{INDEX}")]
    assert fake.indexes == set()


def test_ensure_index_asks_once_and_survives_a_concurrent_creation(fake, engine):
    fake.create_conflict = True
    engine.ensure_index()
    engine.ensure_index()
    assert fake.calls() == [("HEAD", f"/{INDEX}"), ("PUT", f"/{INDEX}")]


def test_refresh(fake, engine):
    fake.indexes.add(INDEX)
    engine.refresh()
    assert fake.calls()[-1] == ("POST", f"/{INDEX}/_refresh")


# --- an Elasticsearch that does not answer --------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_that_is_down_is_said_so():
    port = free_port()
    engine = ElasticsearchEngine(url=f"http://user:secret@127.0.0.1:{port}", index=INDEX)
    start = time.monotonic()
    with pytest.raises(SearchUnavailable) as raised:
        engine.match(Query("mairie"), Filters(), 0, 10, True, False)
    assert time.monotonic() - start < 5
    message = str(raised.value)
    assert f"http://127.0.0.1:{port}" in message
    assert "secret" not in message


def test_a_server_that_never_answers_times_out():
    # Connections are accepted by the kernel (the backlog) and never answered.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        engine = ElasticsearchEngine(url=f"http://127.0.0.1:{port}", index=INDEX, timeout=0.5)
        start = time.monotonic()
        with pytest.raises(SearchUnavailable, match="timeout 0.5 s"):
            engine.suggest(Query("mairie"), Filters())
        elapsed = time.monotonic() - start
        # One attempt: a slow cluster is not asked again.
        listener.setblocking(False)
        attempts = 0
        while True:
            try:
                listener.accept()[0].close()
            except BlockingIOError:
                break
            attempts += 1
    assert attempts == 1
    assert 0.4 < elapsed < 5


def test_a_search_server_down_gives_visitors_a_clear_page_not_an_error(communes, settings):
    from conftest import COMMUNE_A, host_client
    from search import engines

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9/"
    engines._engines.clear()
    try:
        client = host_client(communes[COMMUNE_A].hostname)
        response = client.get("/search/", {"q": "horaires"})
        assert response.status_code == 503
        assert "momentanément indisponible" in response.content.decode()
        assert client.get("/search/suggest/", {"q": "hor"}).json() == {"suggestions": []}
    finally:
        engines._engines.clear()
