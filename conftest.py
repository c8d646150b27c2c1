"""Fixtures shared by every app's tests: a provisioned Pays with three communes."""

import pytest
from django.core.management import call_command
from django.test import Client

from communes.models import Collectivite

# Three communes of the real registry, in three EPCI.
COMMUNE_A, COMMUNE_B, COMMUNE_C = "24037", "24223", "24167"  # Bergerac, Lalinde, Eymet


@pytest.fixture(autouse=True)
def _provisioned_hosts(settings):
    from django.core.cache import cache

    from communes.hosts import forget_hostnames

    # Each test's database is rolled back; what was cached about it (hostnames, Wagtail's
    # site root paths) must go with it.
    # ELASTICSEARCH_URL in the environment is for the search tests alone (search/tests):
    # every other test indexes into the database, never into that server.
    settings.ELASTICSEARCH_URL = ""
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    cache.clear()
    forget_hostnames()
    yield
    cache.clear()
    forget_hostnames()


@pytest.fixture
def registry(db):
    call_command("load_registry", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Collectivite.objects.all()


@pytest.fixture
def pays(registry):
    from sitefactory.services.provisioning import provision

    report = provision(Collectivite.objects.filter(code="PAYS"))
    assert report.count("failed") == 0, report.outcomes
    return Collectivite.objects.get(code="PAYS")


@pytest.fixture
def communes(pays):
    from sitefactory.services.provisioning import provision

    queryset = Collectivite.objects.filter(code__in=[COMMUNE_A, COMMUNE_B, COMMUNE_C])
    report = provision(queryset)
    assert report.count("failed") == 0, [o.error for o in report.outcomes]
    return {c.code: c for c in queryset}


@pytest.fixture
def commune_site(communes):
    return communes[COMMUNE_A]


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
