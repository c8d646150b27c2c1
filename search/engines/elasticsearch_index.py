"""The Elasticsearch index's French analysis, settings and mappings, and the document of a
`SearchEntry` (search.engines.elasticsearch queries and writes it). The admin's search
backend reads French with the same analysis."""

from wagtail.search.backends.elasticsearch8 import Elasticsearch8SearchBackend

from search.text import STOP_WORDS

ANALYZER = "bastide_french"
PREFIX_ANALYZER = "bastide_prefix"
FOLDED_ANALYZER = "bastide_folded"
# Typed starts longer than this are cut to it: the title's prefixes are indexed up to here.
MAX_PREFIX = 20


def french_analysis():
    """The analysis settings, shared with Wagtail's admin search (AdminSearchBackend)."""
    return {
        "filter": {
            "bastide_elision": {
                "type": "elision",
                "articles_case": True,
                "articles": [
                    "l",
                    "m",
                    "t",
                    "qu",
                    "n",
                    "s",
                    "j",
                    "d",
                    "c",
                    "jusqu",
                    "quoiqu",
                    "lorsqu",
                    "puisqu",
                ],
            },
            # Folded words, as search.text drops them from queries: after asciifolding,
            # Elasticsearch's own `_french_` list (accented) would miss "ete" or "etait".
            "bastide_french_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
            # Snowball French, the stemmer of PostgreSQL's `french` and of search.text.
            "bastide_french_stemmer": {"type": "stemmer", "language": "french"},
            "bastide_prefixes": {"type": "edge_ngram", "min_gram": 2, "max_gram": MAX_PREFIX},
        },
        "analyzer": {
            ANALYZER: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": [
                    "bastide_elision",
                    "lowercase",
                    "asciifolding",
                    "bastide_french_stop",
                    "bastide_french_stemmer",
                ],
            },
            # Autocomplete: every start of every title word, unstemmed ("mairi" must find
            # "mairie", whose stem "mair" it is not a start of).
            PREFIX_ANALYZER: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["bastide_elision", "lowercase", "asciifolding", "bastide_prefixes"],
            },
            FOLDED_ANALYZER: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["bastide_elision", "lowercase", "asciifolding"],
            },
        },
    }


class AdminSearchBackend(Elasticsearch8SearchBackend):
    """Wagtail's admin search on Elasticsearch 8, reading French as the visitors' search does.

    Wagtail's text fields name no analyzer: the index's "default" one applies to them (its
    autocomplete keeps its own edge n-gram analyzer).
    """

    def __init__(self, params):
        analysis = french_analysis()
        index_settings = {
            "settings": {
                "analysis": {
                    "filter": analysis["filter"],
                    "analyzer": {"default": analysis["analyzer"][ANALYZER]},
                }
            }
        }
        super().__init__({"INDEX_SETTINGS": index_settings, **params})


def shards():
    """One shard, green on one node with a replica as soon as there are two: a Pays, a
    département. A region or France sets ELASTICSEARCH_SHARDS and ELASTICSEARCH_REPLICAS
    (docs/scaling.md#elasticsearch-as-a-cluster); a new number of shards needs a new index
    (`reindex_search`)."""
    from django.conf import settings

    replicas = settings.ELASTICSEARCH_REPLICAS
    return {
        "number_of_shards": settings.ELASTICSEARCH_SHARDS,
        **(
            {"number_of_replicas": int(replicas)}
            if replicas.isdigit()
            else {"auto_expand_replicas": replicas}
        ),
    }


def index_definition():
    """Settings and mappings of the index, as sent when creating it."""
    text = {"type": "text", "analyzer": ANALYZER}
    return {
        "settings": {**shards(), "analysis": french_analysis()},
        "mappings": {
            # A field this module does not know is a bug, not something to guess a type for.
            "dynamic": "strict",
            "properties": {
                "id": {"type": "integer"},
                "title": {
                    **text,
                    "fields": {
                        "prefix": {
                            "type": "text",
                            "analyzer": PREFIX_ANALYZER,
                            "search_analyzer": FOLDED_ANALYZER,
                        }
                    },
                },
                "keywords": text,
                "summary": text,
                "body": text,
                "kind": {"type": "keyword"},
                "language": {"type": "keyword"},
                "site_id": {"type": "integer"},
                "collectivite_id": {"type": "integer"},
                "date": {"type": "date"},
                "expires_at": {"type": "date"},
                "boost": {"type": "float"},
            },
        },
    }


def document(entry):
    return {
        "id": entry.pk,
        "title": entry.title,
        "keywords": entry.keywords,
        "summary": entry.summary,
        "body": entry.body,
        "kind": entry.kind,
        "language": entry.language,
        "site_id": entry.site_id,
        "collectivite_id": entry.collectivite_id,
        "date": entry.date,
        "expires_at": entry.expires_at,
        "boost": entry.boost,
    }
