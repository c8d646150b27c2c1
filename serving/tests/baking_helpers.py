"""Shared by the baking tests: what a baked site's files hold."""

import gzip
import json
from pathlib import Path

import brotli
from django.conf import settings

from serving.baking import layout


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
