"""Fixtures shared by every app's tests: a provisioned Pays with three communes.

The Pays and the three communes are provisioned ONCE per test session (per xdist worker), in
the test database itself, committed; every test then runs in a transaction that is rolled
back, so it finds them as provisioning left them. `registry`, `pays` and `communes` only hand
them over.

Transactional tests (browser tests, the backup round trips) commit and flush the database
instead; they start from the migrated database, as Django's serialized rollback leaves it,
and provision what they ask for themselves. The hook below moves the database between those
two states when the kind of test changes: before a transactional test the shared sites are
flushed away, before the next ordinary test they are provisioned again.

Tests that need the state BEFORE provisioning ask for `migrated_db` (nothing at all), or
`registry_only` or `pays_only` (sitefactory/tests/conftest.py): the database is emptied back
to its migrated state inside their own transaction, which the rollback undoes.
"""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from communes.models import Collectivite

# Three communes of the real registry, in three EPCI.
COMMUNE_A, COMMUNE_B, COMMUNE_C = "24037", "24223", "24167"  # Bergerac, Lalinde, Eymet
SHARED_COMMUNES = (COMMUNE_A, COMMUNE_B, COMMUNE_C)

# What the test database holds, committed: "migrated" (as the migrations left it, or as a
# transactional test's serialized rollback restores it), "shared" (plus the registry, the
# Pays and the three communes), "unknown" (a transactional test ran: flushed, or worse).
_database = {"state": None}


def load_registry():
    call_command("load_registry", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def provision_codes(codes):
    from sitefactory.services.provisioning import provision

    report = provision(Collectivite.objects.filter(code__in=codes))
    assert report.count("failed") == 0, [o.error for o in report.outcomes]


def provision_shared_sites():
    if not Collectivite.objects.exists():
        load_registry()
    wanted = ("PAYS", *SHARED_COMMUNES)
    provisioned = Collectivite.objects.filter(code__in=wanted, status="provisioned")
    if provisioned.count() < len(wanted):
        provision_codes(["PAYS"])
        provision_codes(SHARED_COMMUNES)


def _back_to_migrated():
    """Empty every table and reload what the migrations wrote (Django's serialized
    rollback does the same). Inside a test's transaction, the rollback undoes it."""
    from django.db import connection

    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        inhibit_post_migrate=True,
        reset_sequences=False,
    )
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        if transaction or marker.kwargs.get("reset_sequences"):
            return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # With `--dist loadgroup` (make test), the transactional tests run one after the other on
    # one worker, which flushes the shared sites once and provisions them once more after.
    for item in items:
        if _is_transactional(item):
            item.add_marker(pytest.mark.xdist_group("transactional"))

    # The long ones first (the transactional group, then the tests marked `long`), so that
    # the two workers are not left waiting on one of them at the end.
    def rank(item):
        if _is_transactional(item):
            return 0
        return 1 if item.get_closest_marker("long") else 2

    items.sort(key=rank)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """Replaces pytest-django's: each worker's database is a copy of a migrated template kept
    between runs (tests/database.py); `--create-db` rebuilds the template."""
    from tests.database import create_test_database, destroy_test_database

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        old_name = create_test_database(rebuild=django_db_createdb, verbosity=verbosity)
    _database["state"] = "migrated"
    yield
    _database["state"] = None
    with django_db_blocker.unblock():
        destroy_test_database(old_name, verbosity=verbosity)


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """Runs once the test database exists and before the test's transaction begins."""
    if fixturedef.argname != "_django_db_helper" or _database["state"] is None:
        return
    blocker = request.getfixturevalue("django_db_blocker")
    state = _database["state"]
    if _is_transactional(request.node):
        if state == "shared":
            with blocker.unblock():
                _back_to_migrated()
        # Its teardown flushes the database.
        _database["state"] = "unknown"
    elif state != "shared":
        with blocker.unblock():
            if state == "unknown":
                _back_to_migrated()
            provision_shared_sites()
        _database["state"] = "shared"


def clear_caches():
    """The shared cache emptied, and what each process keeps in front of it (its memo and
    leases of the content versions, the archived sites' one-second memo): a test that then
    counts a warm request's queries must not find a memo that outlived the cache, nor lose
    one as the seconds pass, nor trust a lease another test took."""
    from django.core.cache import cache

    from serving.cache import forget_process_memory
    from sitefactory.services.lifecycle import forget_archived_sites

    cache.clear()
    forget_process_memory()
    forget_archived_sites()


@pytest.fixture(autouse=True)
def _provisioned_hosts(settings):
    # Each test's database is rolled back; what was cached about it (hostnames, Wagtail's
    # site root paths, the archived sites, the content version) must go with it.
    # ELASTICSEARCH_URL in the environment is for the search tests alone (search/tests):
    # every other test indexes into the database, never into that server.
    settings.ELASTICSEARCH_URL = ""
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    clear_caches()
    # A request leaves its language active in the thread (LocaleMiddleware activates, never
    # deactivates): each test starts in the default language, whatever ran before it.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    clear_caches()


@pytest.fixture
def migrated_db(db):
    """The database as the migrations left it: no registry, no site, no page but Wagtail's
    own. The shared sites are flushed inside this test's transaction; the rollback brings
    them back."""
    _back_to_migrated()


@pytest.fixture
def registry(db):
    """The shipped registry (the Pays, its EPCI and communes); see `communes` for the sites."""
    if not Collectivite.objects.exists():  # a transactional test: nothing is shared
        load_registry()
    return Collectivite.objects.all()


@pytest.fixture
def pays(registry):
    """The Pays, provisioned, with the three communes (provisioned once per session)."""
    if not Collectivite.objects.filter(code="PAYS", status="provisioned").exists():
        provision_codes(["PAYS"])
    return Collectivite.objects.get(code="PAYS")


@pytest.fixture
def communes(pays):
    queryset = Collectivite.objects.filter(code__in=SHARED_COMMUNES)
    if queryset.filter(status="provisioned").count() < len(SHARED_COMMUNES):
        provision_codes(SHARED_COMMUNES)
    return {c.code: c for c in queryset}


def member(username, collectivite, role, email=None):
    """A user in one of a collectivité's groups (secretariat, elus, equipe for the Pays)."""
    from django.contrib.auth import get_user_model

    from communes.models import CollectiviteGroup

    user = get_user_model().objects.create_user(
        username,
        email=email or f"{username}@example.org",
        password="x",  # noqa: S106
    )
    user.groups.add(CollectiviteGroup.objects.get(collectivite=collectivite, role=role).group)
    return user


def host_client(hostname, **kwargs):
    return Client(HTTP_HOST=hostname, **kwargs)


@pytest.fixture
def portal_client(pays):
    return host_client(pays.hostname)
