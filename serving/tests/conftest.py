"""Fixtures of the baking tests: a baked root in a temporary directory, baking on."""

import pytest

from serving import cache as serving_cache
from serving.baking import schedule


@pytest.fixture
def baked_root(settings, tmp_path):
    settings.BAKED_ROOT = tmp_path / "baked"
    return settings.BAKED_ROOT


@pytest.fixture
def baking_on(settings, baked_root):
    """BAKING_ENABLED, the sites a change leaves to bake baked by `schedule.run_pending()`
    (no thread, no task), with the listener ServingConfig.ready connects when enabled."""
    settings.BAKING_ENABLED = True
    settings.BAKING_BACKGROUND = False
    schedule._baker.pending.clear()
    serving_cache.on_change(schedule.on_change)
    yield baked_root
    serving_cache._listeners.remove(schedule.on_change)
    schedule._baker.pending.clear()
