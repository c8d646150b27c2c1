"""Fixtures of the site factory's tests."""

import shutil

import pytest

from communes.models import Collectivite
from conftest import load_registry, provision_codes


@pytest.fixture
def registry_only(migrated_db):
    """The registry loaded and nothing provisioned: no site, no page but Wagtail's own."""
    load_registry()
    return Collectivite.objects.all()


@pytest.fixture
def pays_only(registry_only):
    """The Pays provisioned, and no commune yet."""
    provision_codes(["PAYS"])
    return Collectivite.objects.get(code="PAYS")


@pytest.fixture
def blueprints_copy(tmp_path, settings):
    """A copy of the blueprints that a test may edit."""
    target = tmp_path / "blueprints"
    shutil.copytree(settings.BASTIDE_BLUEPRINTS_DIR, target)
    settings.BASTIDE_BLUEPRINTS_DIR = target
    return target
