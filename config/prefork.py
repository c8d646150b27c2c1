"""What gunicorn's master loads before it forks, and what each worker opens before serving.

A worker forks from a master that has run `warm()`: every module a page view needs is
imported, the URLconfs, catalogues, formats and templates are built, so a recycled worker's
first request costs what its thousandth does (bytecode precompiled at install, see the
Makefile and the Dockerfile, makes the master's own start short). Nothing here opens a
connection to the database or to Redis: a socket opened before fork would be shared by
every worker. Those are opened by `warm_worker()`, in the worker, before it accepts its first
request (docs/serving.md#no-slow-tail).
"""

import importlib
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

# Modules of our apps that no page view imports: commands, tests, test factories (their
# dependencies are not installed in production), migrations.
SKIPPED_PARTS = {"tests", "management", "migrations", "factories", "conftest"}
# Imported on a request's way, at first use, by Django and the libraries.
LAZY_MODULES = [
    "django.db.models.sql.compiler",
    "django.contrib.messages.storage.cookie",
    "django.contrib.messages.storage.fallback",
    "django.contrib.messages.storage.session",
    "django.contrib.sessions.serializers",
    "django.core.cache.backends.locmem",
    "django.core.cache.backends.redis",
    "encodings.unicode_escape",
    "PIL.Image",
    "wagtail.images.image_operations",
    "willow.image",
]


def project_apps():
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR)
    return [app for app in apps.get_app_configs() if Path(app.path).parent == base]


def import_project_modules():
    """Every module of our apps (views, templatetags, services, forms…): some are imported
    only by the first request that needs them (the sections' views, JSON-LD, filters)."""
    failed = []
    for app in project_apps():
        root = Path(app.path)
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if SKIPPED_PARTS & set(parts):
                continue
            name = ".".join([app.name, *parts]).removesuffix(".__init__")
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - warming must never stop the server
                failed.append(name)
                logger.warning("warm-up: %s could not be imported", name, exc_info=True)
    return failed


def import_lazy_modules():
    from django.conf import settings
    from django.utils.module_loading import import_string

    names = [*LAZY_MODULES, settings.SESSION_ENGINE]
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # e.g. Pillow's optional parts
            logger.info("warm-up: %s is not installed", name)
    import_string(settings.MESSAGE_STORAGE)
    import_string(settings.SESSION_SERIALIZER)


def load_cache_client():
    """The cache backend and its client library, without connecting: the Redis client and its
    connection pool class are imported here, the pool is created in each worker at first use."""
    from django.core.cache import caches

    for alias in caches.settings:
        backend = caches[alias]
        if hasattr(backend, "_class"):  # Django's RedisCache (and health.cache's)
            backend._cache  # noqa: B018 - a RedisCacheClient: imports redis, opens nothing
        del caches[alias]  # each worker builds its own, around its own sockets


def load_database_backend():
    """The database backend (psycopg or sqlite3) and its operations, without connecting."""
    from django.db import connections

    for alias in connections:
        connections[alias].ops  # noqa: B018 - imports the driver, opens nothing


def build_url_resolvers():
    """Django fills a resolver's reverse lookup and compiles its patterns once per language, at
    the first reverse() or resolve() in it (half a second here)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018
            for pattern in resolver.url_patterns:
                _ = pattern.pattern.regex


def build_catalogues_and_formats():
    from django.conf import settings
    from django.utils import formats, translation
    from django.utils.translation import trans_real

    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
        with translation.override(code):
            for name in ("DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "DECIMAL_SEPARATOR"):
                formats.get_format(name)


def compile_templates():
    """Our apps' templates (Wagtail's admin templates are not on a visitor's way) and the
    context processors the engine imports at its first render."""
    from django.template import engines

    engine = engines["django"].engine
    engine.template_context_processors  # noqa: B018
    for app in project_apps():
        directory = Path(app.path) / "templates"
        if not directory.is_dir():
            continue
        for path in directory.rglob("*.html"):
            engine.get_template(path.relative_to(directory).as_posix())


def warm():
    """In the master, before fork."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every URLconf
    build_url_resolvers()
    import_project_modules()
    import_lazy_modules()
    load_cache_client()
    load_database_backend()
    build_catalogues_and_formats()
    compile_templates()


def warm_worker():
    """In a new worker, before its first request: its own connections, opened now rather than
    by a visitor's request (the other workers serve meanwhile)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import close_old_connections

    from serving.cache import read_content_version
    from serving.pages import default_site

    try:
        read_content_version()  # the worker's Redis connection pool, and the version
        # The default site, which requests read from this process' memory (serving.pages);
        # the other sites are looked up as requests meet them, one hostname at a time.
        default_site()
        # Page models by content type id, as ContentType.objects.get_for_id() keeps them:
        # one query now, none when a request first meets a page type.
        manager = ContentType.objects
        for content_type in manager.all():
            manager._add_to_cache(manager.db, content_type)
    except Exception:  # noqa: BLE001 - a database or cache that is away is met per request
        logger.warning("worker warm-up failed", exc_info=True)
    finally:
        close_old_connections()  # kept only when CONN_MAX_AGE keeps connections
