"""The baker's loop (serving.baking.runner.follow, `bake --follow`): it bakes what was never
baked or was changed, and takes expired files out of service before baking them again."""

import datetime
import json

from django.utils import timezone
from wagtail.models import Site

from conftest import COMMUNE_A, COMMUNE_B
from serving.baking import layout, runner
from serving.baking.engine import bake_site
from serving.tests.baking_helpers import manifest, site_dir


def expire(host):
    path = site_dir(host) / layout.MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    data["valid_until"] = (timezone.now() - datetime.timedelta(seconds=1)).isoformat()
    path.write_text(json.dumps(data), encoding="utf-8")


def test_the_loop_bakes_the_unbaked_and_withdraws_the_expired_before_baking_them(
    communes, baked_root, monkeypatch
):
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    a.refresh_from_db()
    b.refresh_from_db()
    for collectivite in (a, b):
        bake_site(Site.objects.get(pk=collectivite.site_id))
    b_files = manifest(b.hostname)
    expire(a.hostname)
    due, expired, _earliest = runner.due_sites()
    assert a.site_id in due and expired == [a.site_id]
    assert b.site_id not in due  # baked, unchanged, not expired

    seen_when_baking = {}
    bake_sites = runner.bake_sites

    def watching(site_ids, report=None):
        seen_when_baking.update({pk: site_dir(a.hostname).exists() for pk in site_ids})
        return bake_sites(site_ids, report=report)

    monkeypatch.setattr(runner, "bake_sites", watching)
    runner.follow(once=True)
    # Out of service while it was baked again: Django answered, never the stale files.
    assert seen_when_baking[a.site_id] is False
    until = datetime.datetime.fromisoformat(manifest(a.hostname)["valid_until"])
    assert until > timezone.now()
    assert manifest(b.hostname) == b_files
    assert runner.due_sites()[1] == []
