"""Search engines: one small interface, three implementations.

Every engine answers the same `search()` and `suggest()` over the rows of `SearchEntry`
(which `search.indexing` keeps), and keeps its own structure in step with `write()` and
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
    # Kinds found on every site although indexed once (service-public.fr's fiches): with
    # `site_id`, entries of the site or of these kinds.
    shared_kinds: tuple = ()


@dataclass
class Hits:
    ids: list = field(default_factory=list)
    # The `Shown` entries of `ids` when the engine read them with the match (else
    # `read_entries` reads them).
    entries: dict | None = None
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


# What a result shows; never the vectors.
SHOWN = ("id", "kind", "site_id", "collectivite_id", "language", "path", "title", "summary")
SHOWN += ("body", "date", "details")


@dataclass
class Shown:
    """An entry as a result shows it (lighter than a `SearchEntry`, and made ten at a time
    on every search)."""

    id: int
    kind: str = ""
    site_id: int | None = None
    collectivite_id: int | None = None
    language: str = "fr"
    path: str = ""
    title: str = ""
    summary: str = ""
    body: str = ""
    date: datetime.datetime | None = None
    details: dict = field(default_factory=dict)

    @property
    def pk(self):
        return self.id


def shown_from_row(values, columns=SHOWN):
    """A `Shown` from the columns an engine's statement read, converted as the ORM converts
    them (SQLite gives dates and JSON as text)."""
    values = list(values)
    for index, column, converters in _converters(tuple(columns)):
        for convert in converters:
            values[index] = convert(values[index], column, connection)
    return Shown(**dict(zip(columns, values, strict=True)))


_converters_by_columns = {}


def _converters(columns):
    """The ORM's converters of these columns of `SearchEntry` on this database (the
    backend's, then the field's), for those that have some."""
    from search.models import SearchEntry  # the settings import this package: no models here

    key = (connection.vendor, columns)
    if key not in _converters_by_columns:
        found = []
        for index, name in enumerate(columns):
            column = SearchEntry._meta.get_field(name).get_col(SearchEntry._meta.db_table)
            converters = connection.ops.get_db_converters(column)
            converters += column.get_db_converters(connection)
            if converters:
                found.append((index, column, converters))
        _converters_by_columns[key] = found
    return _converters_by_columns[key]


def read_entries(ids, columns=SHOWN):
    """The entries of a page of results by id, as `Shown`, read by one plain statement."""
    from search.models import SearchEntry  # the settings import this package: no models here

    if not ids:
        return {}
    sql = (
        f"SELECT {', '.join(columns)} FROM {SearchEntry._meta.db_table}"
        f" WHERE id IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        rows = cursor.fetchall()
    return {row[0]: shown_from_row(row, columns) for row in rows}


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
