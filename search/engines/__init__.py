"""Search engines: one small interface, three implementations.

Every engine answers the same `search()` and `suggest()` over the rows of `SearchEntry`
(which `search.services` keeps), and keeps its own structure in step with `write()` and
`delete()`: a French tsvector on PostgreSQL, an FTS5 table of Snowball stems on SQLite, an
index with a French analyzer on Elasticsearch when `ELASTICSEARCH_URL` is set.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from search.text import Query


class SearchUnavailable(RuntimeError):
    """The engine did not answer (a search server down, unreachable, or too slow)."""


@dataclass
class Filters:
    site_id: int | None = None
    kinds: tuple = ()
    collectivite_id: int | None = None
    languages: tuple = ("fr",)
    now: datetime.datetime | None = None


@dataclass
class Hits:
    ids: list = field(default_factory=list)
    total: int = 0
    kinds: dict = field(default_factory=dict)
    collectivites: dict = field(default_factory=dict)
    any_word: bool = False


class Engine:
    name = ""

    def write(self, entries):
        """Make `entries` (saved, with ids) findable, replacing what they were."""

    def delete(self, ids):
        """Forget the entries with these ids."""

    def clear(self):
        """Forget everything (before a full reindex)."""

    def search(self, query: Query, filters: Filters, offset=0, limit=10, facets=True) -> Hits:
        hits = self.match(query, filters, offset, limit, facets, any_word=False)
        if hits.total == 0 and len(query.stems) > 1:
            # No entry has every word: show the ones that have some, and say so.
            hits = self.match(query, filters, offset, limit, facets, any_word=True)
            hits.any_word = hits.total > 0
        return hits

    def match(self, query, filters, offset, limit, facets, any_word) -> Hits:
        raise NotImplementedError

    def suggest(self, query: Query, filters: Filters, limit=8) -> list:
        """Ids of entries whose title starts words with what is typed, best first."""
        raise NotImplementedError


ENGINES = {
    "postgresql": "search.engines.postgres.PostgresEngine",
    "sqlite": "search.engines.sqlite.SqliteEngine",
    "elasticsearch": "search.engines.elasticsearch.ElasticsearchEngine",
}

_engines = {}


def engine_name():
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        return "elasticsearch"
    return connection.vendor


def get_engine(name=None) -> Engine:
    name = name or engine_name()
    if name not in _engines:
        _engines[name] = import_string(ENGINES[name])()
    return _engines[name]
