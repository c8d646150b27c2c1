"""Bastide on a primary and its standby, driven by tests/test_read_replica.py: one JSON command
a line on stdin, one JSON answer a line on stdout.

A process of its own: its databases are not the test session's (DATABASE_URL and
DATABASE_REPLICA_URL name the pair, tests.replica_settings routes reads as in production),
and nothing it caches reaches the session's. Requests go through Django's whole handler; each
answer lists the statements each database ran, in order.
"""

import json
import shutil
import sys
import traceback

import django

COMMUNE = "24037"  # Bergerac
HOST = "bergerac.pays.test"


def build():
    """What the tests serve: the registry, the Pays' portal and one commune's site."""
    from django.core.management import call_command

    from conftest import load_registry, provision_codes

    call_command("migrate", verbosity=0, interactive=False)
    load_registry()
    provision_codes(["PAYS"])
    provision_codes([COMMUNE])
    return {}


def _logger(log, alias):
    def record(execute, sql, params, many, context):
        log.append([alias, " ".join(sql.split())[:160]])
        return execute(sql, params, many, context)

    return record


def request(method, path, host=HOST, cookies=None, data=None):
    from django.db import connections
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.cookies.load(cookies or {})
    log = []
    with (
        connections["default"].execute_wrapper(_logger(log, "default")),
        connections["replica"].execute_wrapper(_logger(log, "replica")),
    ):
        response = getattr(client, method)(path, data or {}, HTTP_HOST=host)
    return {
        "status": response.status_code,
        "body": response.content.decode("utf-8", "replace"),
        "cookies": {name: morsel.value for name, morsel in response.cookies.items()},
        "statements": log,
    }


def get(path, **kwargs):
    return request("get", path, **kwargs)


def post(path, **kwargs):
    return request("post", path, **kwargs)


def get_writing(path, **kwargs):
    """A page view that writes once it has found its page, before loading it. Bastide's
    page views never write (a site's settings are read, never created, by a visitor); a
    harmless UPDATE is slipped into one to show what the router does after a write."""
    from django.db.models import F

    from communes.models import Collectivite
    from serving import pages

    load_page = pages._load_page

    def writing(*args):
        Collectivite.objects.filter(code=COMMUNE).update(name=F("name"))
        return load_page(*args)

    pages._load_page = writing
    try:
        return request("get", path, **kwargs)
    finally:
        pages._load_page = load_page


def bake(path, host=HOST):
    """Bake the site (serving.baking) into a temporary directory; the file baked for `path`."""
    import tempfile

    from django.conf import settings
    from django.db import connections
    from wagtail.models import Site

    from serving.baking import layout
    from serving.baking.engine import bake_site

    settings.BAKED_ROOT = tempfile.mkdtemp(prefix="bastide-baked-")
    log = []
    with (
        connections["default"].execute_wrapper(_logger(log, "default")),
        connections["replica"].execute_wrapper(_logger(log, "replica")),
    ):
        result = bake_site(Site.objects.get(hostname=host))
    try:
        folder = layout.site_link(host)
        manifest = json.loads((folder / layout.MANIFEST).read_text(encoding="utf-8"))
        body = (folder / manifest["pages"][path]["file"]).read_text(encoding="utf-8")
    finally:
        shutil.rmtree(settings.BAKED_ROOT, ignore_errors=True)
    return {"swapped": result.swapped, "body": body, "statements": log}


def page_at(path, host=HOST):
    """The live page at `path` on `host`, read on the primary."""
    from wagtail.models import Site

    site = Site.objects.get(hostname=host)
    page = site.root_page.specific.route(None, [part for part in path.split("/") if part])[0]
    return {"id": page.pk, "title": page.title}


def publish(page_id, title):
    """An editor's change, published: a revision, as the admin makes it."""
    from wagtail.models import Page

    page = Page.objects.get(pk=page_id).specific
    page.title = title
    page.save_revision().publish()
    return {}


def login():
    """The session cookie of a logged-in superuser."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _created = get_user_model().objects.get_or_create(
        username="replica-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return {"cookies": {name: morsel.value for name, morsel in client.cookies.items()}}


def forget():
    """Empty the caches: the shared one and this process' memories."""
    from django.core.cache import cache

    from serving import cache as serving_cache

    cache.clear()
    serving_cache.forget_process_memory()
    return {}


def trust_replica(on):
    """On: the replica taken as up to date whatever its position (what a router without the
    check would do), to show what the check prevents."""
    from serving import replica

    if on:
        replica.replica_has = lambda lsn: True
    else:
        replica.replica_has = _checked
    return {}


def main():
    django.setup()
    global _checked
    from serving import replica

    _checked = replica.replica_has
    commands = {
        "build": build,
        "get": get,
        "post": post,
        "get_writing": get_writing,
        "page_at": page_at,
        "publish": publish,
        "bake": bake,
        "login": login,
        "forget": forget,
        "trust_replica": trust_replica,
    }
    out, sys.stdout = sys.stdout, sys.stderr  # only the answers on stdout
    for line in sys.stdin:
        command = json.loads(line)
        try:
            answer = {"ok": commands[command.pop("command")](**command)}
        except Exception:
            answer = {"error": traceback.format_exc()}
        out.write(json.dumps(answer) + "\n")
        out.flush()


_checked = None

if __name__ == "__main__":
    main()
