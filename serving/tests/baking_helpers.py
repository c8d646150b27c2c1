"""Shared by the baking tests: a baked root in a temporary directory, baking on."""

import gzip
import json
from pathlib import Path

import brotli
import pytest
from django.conf import settings

from serving import cache as serving_cache
from serving.baking import layout, schedule


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


def site_dir(host):
    return Path(settings.BAKED_ROOT) / "sites" / host


def manifest(host):
    return json.loads((site_dir(host) / layout.MANIFEST).read_text(encoding="utf-8"))


def baked(host, path):
    """The baked HTML of URL `path` of `host` (checked against its compressed copies)."""
    entry = manifest(host)["pages"][path]
    target = site_dir(host) / entry["file"]
    body = target.read_bytes()
    assert gzip.decompress(Path(f"{target}.gz").read_bytes()) == body
    assert brotli.decompress(Path(f"{target}.br").read_bytes()) == body
    return body.decode()
