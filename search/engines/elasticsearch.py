"""Elasticsearch 8, when `ELASTICSEARCH_URL` is set: one index of the `SearchEntry` rows.

The analyzer reads French the way `search.text` does for the database engines: articles
elided ("l'école" is "école"), lower case, accents folded, the same French stop words (the
folded PostgreSQL list, so that folding comes before them), Snowball French stems. A query
therefore finds on Elasticsearch what it finds on PostgreSQL and SQLite; only the scores
differ. The counts by kind and by collectivité are "disjunctive" facets, as the database
engines compute them: the kind and collectivité filters go in `post_filter`, and each
aggregation applies only the other one.
"""

from urllib.parse import urlsplit

import elastic_transport
from django.conf import settings
from django.utils import timezone
from elasticsearch import BadRequestError, Elasticsearch, NotFoundError, helpers

from search.engines import Engine, Hits, SearchUnavailable
from search.engines.elasticsearch_index import (
    MAX_PREFIX,
    document,
    index_definition,
)

FIELDS = ["title^10", "keywords^8", "summary^3", "body"]
# A collectivité facet bucket for the entries without one (the database engines count them
# under None); no collectivité has this id.
NO_COLLECTIVITE = -1
DEFAULT_INDEX = "bastide-search"
DEFAULT_TIMEOUT = 5
# Bulk requests carry whole PDFs' text: they get longer than a query, and smaller chunks.
WRITE_TIMEOUT = 30
BULK_CHUNK = 200
BULK_BYTES = 10 * 1024 * 1024


def _safe_url(url):
    """The address without credentials, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


class ElasticsearchEngine(Engine):
    name = "elasticsearch"

    def __init__(self, url=None, index=None, timeout=None):
        self.url = url or settings.ELASTICSEARCH_URL
        self.index = index or getattr(settings, "ELASTICSEARCH_INDEX", "") or DEFAULT_INDEX
        self.timeout = timeout or getattr(settings, "ELASTICSEARCH_TIMEOUT", DEFAULT_TIMEOUT)
        # One retry of a failed connection, none of a timeout: a slow cluster is not sent
        # the same query again by every visitor's request.
        self.client = Elasticsearch(
            self.url,
            request_timeout=self.timeout,
            max_retries=1,
            retry_on_timeout=False,
        )
        self._ready = False

    # --- plumbing ------------------------------------------------------------------------

    def _call(self, operation, *args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout) as e:
            raise SearchUnavailable(
                f"Elasticsearch at {_safe_url(self.url)} did not answer "
                f"(index {self.index!r}, timeout {self.timeout} s): {e}"
            ) from e

    def ensure_index(self):
        """Create the index unless it exists. Safe to run from several processes."""
        if self._ready:
            return
        if not self._call(self.client.indices.exists, index=self.index):
            try:
                self._call(self.client.indices.create, index=self.index, **index_definition())
            except BadRequestError as e:
                # Another worker created it between our check and our request.
                if e.message != "resource_already_exists_exception":
                    raise
        self._ready = True

    def refresh(self):
        """Make what was written visible to queries now (Elasticsearch is near real time)."""
        self.ensure_index()
        self._call(self.client.indices.refresh, index=self.index)

    def _bulk(self, actions, ignore_status=()):
        self.ensure_index()
        client = self.client.options(request_timeout=max(self.timeout, WRITE_TIMEOUT))
        extra = {}
        if getattr(settings, "ELASTICSEARCH_REFRESH", False):
            # Tests: a search right after a write sees it. Production leaves it to the
            # refresh interval (a second) rather than make every batch wait for one.
            extra["refresh"] = "true"
        self._call(
            helpers.bulk,
            client,
            actions,
            chunk_size=BULK_CHUNK,
            max_chunk_bytes=BULK_BYTES,
            ignore_status=ignore_status,
            **extra,
        )

    # --- writing -------------------------------------------------------------------------

    def write(self, entries):
        actions = [
            {"_op_type": "index", "_index": self.index, "_id": str(e.pk), "_source": document(e)}
            for e in entries
            if e.pk
        ]
        if actions:
            self._bulk(actions)

    def delete(self, ids):
        actions = [{"_op_type": "delete", "_index": self.index, "_id": str(pk)} for pk in ids]
        if actions:
            # An entry never indexed (written before the switch to Elasticsearch) is gone.
            self._bulk(actions, ignore_status=(404,))

    def drop(self):
        """Delete the index, if any (a test's throwaway index, or before a new definition)."""
        self._call(self.client.options(ignore_status=404).indices.delete, index=self.index)
        self._ready = False

    def clear(self):
        self.drop()
        self.ensure_index()

    # --- querying ------------------------------------------------------------------------

    def _filters(self, filters):
        """What every hit and every count obeys: site, languages, not expired."""
        now = filters.now or timezone.now()
        clauses = []
        if filters.site_id is not None and filters.shared_kinds:
            clauses.append(
                {
                    "bool": {
                        "should": [
                            {"term": {"site_id": filters.site_id}},
                            {"terms": {"kind": list(filters.shared_kinds)}},
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
        elif filters.site_id is not None:
            clauses.append({"term": {"site_id": filters.site_id}})
        if filters.languages:
            clauses.append({"terms": {"language": list(filters.languages)}})
        clauses.append(
            {
                "bool": {
                    "should": [
                        {"bool": {"must_not": {"exists": {"field": "expires_at"}}}},
                        {"range": {"expires_at": {"gt": now.isoformat()}}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
        return clauses

    def _facet_filters(self, filters):
        """The filters a facet link toggles, by facet."""
        found = {}
        if filters.kinds:
            found["kind"] = {"terms": {"kind": list(filters.kinds)}}
        if filters.collectivite_id is not None:
            found["collectivite"] = {"term": {"collectivite_id": filters.collectivite_id}}
        return found

    def _scored(self, must, filters):
        # Multiplied by the entry's boost, as the database engines multiply their rank.
        return {
            "function_score": {
                "query": {"bool": {"must": must, "filter": self._filters(filters)}},
                "field_value_factor": {"field": "boost", "missing": 1.0},
                "boost_mode": "multiply",
            }
        }

    def _sort(self):
        return [
            "_score",
            {"date": {"order": "desc", "missing": "_last"}},
            {"id": {"order": "asc"}},
        ]

    def _search(self, **body):
        self.ensure_index()
        try:
            return self._call(self.client.search, index=self.index, **body)
        except NotFoundError:
            # The index was deleted behind our back (clear() in another process): nothing
            # is indexed, and the next write creates it again.
            self._ready = False
            return None

    def search_body(self, query, filters, offset, limit, facets, any_word):
        """The request `match()` sends (a method so that it can be read in tests)."""
        words = {
            "multi_match": {
                "query": " ".join(query.words),
                "fields": FIELDS,
                # cross_fields: each word in some field, as the database engines match one
                # document made of all four (best_fields would want them all in one field).
                "type": "cross_fields",
                "operator": "or" if any_word else "and",
            }
        }
        toggled = self._facet_filters(filters)
        match_all = {"match_all": {}}
        aggregations = {
            "kinds": {
                "filter": toggled.get("collectivite", match_all),
                "aggs": {"values": {"terms": {"field": "kind", "size": 50}}},
            }
        }
        if facets and filters.site_id is None:
            aggregations["collectivites"] = {
                "filter": toggled.get("kind", match_all),
                "aggs": {
                    "values": {
                        "terms": {
                            "field": "collectivite_id",
                            "size": 1000,
                            "missing": NO_COLLECTIVITE,
                        }
                    }
                },
            }
        body = {
            "query": self._scored([words], filters),
            "sort": self._sort(),
            "from": offset,
            "size": limit,
            "_source": False,
            "track_total_hits": True,
            "aggs": aggregations,
        }
        if toggled:
            body["post_filter"] = {"bool": {"filter": list(toggled.values())}}
        return body

    def match(self, query, filters, offset, limit, facets, any_word):
        hits = Hits()
        if not query:
            return hits
        response = self._search(**self.search_body(query, filters, offset, limit, facets, any_word))
        if response is None:
            return hits
        hits.ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
        aggregations = response.get("aggregations", {})
        hits.kinds = {
            bucket["key"]: bucket["doc_count"]
            for bucket in aggregations.get("kinds", {}).get("values", {}).get("buckets", [])
        }
        # The hits behind post_filter: the sum of the selected kinds' counts, as the
        # database engines compute it.
        hits.total = response["hits"]["total"]["value"]
        if "collectivites" in aggregations:
            hits.collectivites = {
                (None if bucket["key"] == NO_COLLECTIVITE else bucket["key"]): bucket["doc_count"]
                for bucket in aggregations["collectivites"]["values"]["buckets"]
            }
        return hits

    def suggest_body(self, query, filters, limit):
        last = query.last_prefix
        must = [{"match": {"title.prefix": {"query": last[:MAX_PREFIX]}}}]
        head = [w for w in query.words if w != last]
        if head:
            must.append({"match": {"title": {"query": " ".join(head), "operator": "and"}}})
        return {
            "query": self._scored(must, filters),
            "sort": self._sort(),
            "size": limit,
            "_source": False,
            "track_total_hits": False,
        }

    def suggest(self, query, filters, limit=8):
        if not query.last_prefix:
            return []
        response = self._search(**self.suggest_body(query, filters, limit))
        if response is None:
            return []
        return [int(hit["_id"]) for hit in response["hits"]["hits"]]
