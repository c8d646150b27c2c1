"""The read replica (docs/scaling.md#read-replica), against a real primary and a standby in
streaming replication (tests/postgres_pair.py), made for this module with the machine's
PostgreSQL, and Bastide on them in a process of its own (tests/replica_app.py): visitors' page
views read the standby; writes, editors, the admin and a visitor who has just written read the
primary; a standby that lags behind a change never fills the caches under its version.

The migrated and provisioned database is kept between runs in .cache/replica/ (keyed like the
test database's template, tests/database.py) and restored in about a second.
"""

import hashlib
import json
import os
import runpy
import select
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from serving.replica import PRIMARY_POSITION_SQL, record_end
from tests.postgres_pair import Pair, install_server

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "replica"
HOST = "bergerac.pays.test"
PAGE = "/plan-du-site/"
# Statements that read the WAL positions, not data: the router's own.
POSITIONS = ("SELECT pg_last_wal_replay_lsn()", PRIMARY_POSITION_SQL)
ANSWER_TIMEOUT = 180  # seconds; the first run migrates


def dump_key(pair):
    """What the kept database depends on: the migrations, what provisions the sites, the
    versions of Django, Wagtail and PostgreSQL."""
    import django
    import wagtail

    digest = hashlib.sha256()
    for part in (django.__version__, wagtail.__version__, pair.version):
        digest.update(part.encode() + b"\0")
    files = []
    for app_config in apps.get_app_configs():
        files += sorted((Path(app_config.path) / "migrations").glob("*.py"))
    for folder in ("sitefactory", "communes/data"):
        files += sorted(path for path in (ROOT / folder).rglob("*") if path.is_file())
    for path in files:
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if not {"__pycache__", "tests"} & set(name.parts):
            digest.update(str(name).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class App:
    """tests/replica_app.py on the pair: `app("get", path=…)` and the other commands."""

    def __init__(self, pair):
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by stop()
        environ = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.replica_settings",
            "DATABASE_URL": pair.primary_url,
            "DATABASE_REPLICA_URL": pair.replica_url,
            "REDIS_URL": "",  # a cache of its own, not the session's Redis database
            "REPLICA_RETRY_SECONDS": "0.5",
            "PYTHONWARNINGS": "ignore",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.replica_app"],
            cwd=ROOT,
            env=environ,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def __call__(self, command, **arguments):
        self.process.stdin.write(json.dumps({"command": command, **arguments}) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.log.seek(0)
            pytest.fail(f"replica_app gave no answer to {command}:\n{self.log.read()[-5000:]}")
        answer = json.loads(line)
        if "error" in answer:
            pytest.fail(f"replica_app, {command}:\n{answer['error']}")
        return answer["ok"]

    def output(self):
        """What the process wrote on its standard error (its log) so far."""
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def pair():
    """A primary with the migrated database and the sites, and a standby streaming from it."""
    binaries, why = install_server()
    if binaries is None:
        reason = f"no PostgreSQL server to make a primary and a standby with: {why}"
        warnings.warn(reason, pytest.PytestWarning, stacklevel=1)
        pytest.skip(reason)
    started = time.monotonic()
    servers = Pair(binaries)
    try:
        servers.start_primary()
        kept = CACHE_DIR / f"bastide-pg{servers.version}-{dump_key(servers)}.dump"
        if kept.exists():
            servers.restore(kept)
        servers.start_replica()
        servers.kept, servers.built = kept, not kept.exists()
        servers.timings["pair"] = round(time.monotonic() - started, 2)
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="module")
def app(pair):
    started = time.monotonic()
    bastide = App(pair)
    try:
        if pair.built:
            bastide("build")
            for old in CACHE_DIR.glob(f"bastide-pg{pair.version}-*.dump"):
                old.unlink(missing_ok=True)  # another test process may be first
            pair.dump(pair.kept)
            pair.timings["build"] = round(time.monotonic() - started, 2)
        bastide("forget")
        pair.wait_for_replay()
        pair.timings["app"] = round(time.monotonic() - started, 2)
        # The fixture's cost, with -s: initdb and start, restore, base backup, Django.
        print(f"\nread replica fixture: {pair.timings}", file=sys.stderr)
        yield bastide
    finally:
        bastide.stop()


def reads(answer, alias):
    """The statements that read or wrote data on one database, in order."""
    return [sql for on, sql in answer["statements"] if on == alias and sql not in POSITIONS]


def served(answer, text):
    assert answer["status"] == 200, answer["body"][:2000]
    assert text in answer["body"]


def test_the_replica_is_configured_from_its_url(monkeypatch):
    settings_file = str(ROOT / "config" / "settings" / "databases.py")
    monkeypatch.setenv("DATABASE_URL", "postgres://bastide@db.internal/bastide")
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    alone = runpy.run_path(settings_file)
    assert list(alone["DATABASES"]) == ["default"]
    assert alone["DATABASE_ROUTERS"] == []

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://bastide@replica.internal/bastide")
    both = runpy.run_path(settings_file)
    replica = both["DATABASES"]["replica"]
    assert replica["HOST"] == "replica.internal"
    # Django's test runner makes no database on the standby: the alias mirrors the primary's.
    assert replica["TEST"] == {"MIRROR": "default"}
    assert both["DATABASE_ROUTERS"] == ["serving.replica.ReplicaRouter"]

    monkeypatch.setenv("DATABASE_URL", "sqlite:///bastide.sqlite3")
    with pytest.raises(ImproperlyConfigured):
        runpy.run_path(settings_file)


def test_a_position_just_past_a_page_header_is_the_end_of_the_record_before_it():
    """The flaky CI of stop 27: the last record ended on a page boundary, the insert position
    pointed past the next page's header, and the standby never reported reaching it."""
    block, segment = 8192, 16 * 1024 * 1024
    assert record_end(5 * block + 24, block, segment) == 5 * block
    assert record_end(3 * segment + 40, block, segment) == 3 * segment
    # Anywhere else, a record ends where the insert position is.
    assert record_end(5 * block + 40, block, segment) == 5 * block + 40
    assert record_end(5 * block + 4000, block, segment) == 5 * block + 4000


def test_the_pair_replicates(pair):
    assert pair.replica("SELECT pg_is_in_recovery()") == [(True,)]
    assert pair.primary("SELECT pg_is_in_recovery()") == [(False,)]


def test_an_anonymous_page_view_reads_the_replica(app, pair):
    app("forget")
    served(app("get", path="/"), "Bergerac")  # the sites, known to this process from now on
    pair.wait_for_replay()  # the versions that request made
    answer = app("get", path=PAGE)
    served(answer, "Plan du site")
    assert reads(answer, "replica")
    assert reads(answer, "default") == []


def test_writes_go_to_the_primary_and_reach_the_replica(app, pair):
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    form = {"email": email, "banners": "on", "meetings": "on", "consentement": "on"}
    answer = app("post", path="/alertes/", data=form)
    served(answer, "Vérifiez votre messagerie")
    assert any(sql.startswith("INSERT") for sql in reads(answer, "default"))
    assert reads(answer, "replica") == []
    assert "bastide_wrote" in answer["cookies"]

    pair.wait_for_replay()
    query = "SELECT count(*) FROM alerts_subscription WHERE email = %s"
    assert pair.replica(query, [email]) == [(1,)]


def test_a_page_view_that_writes_reads_the_primary_from_its_write_on(app, pair):
    app("forget")
    served(app("get", path="/"), "Bergerac")
    pair.wait_for_replay()
    answer = app("get_writing", path=PAGE)
    served(answer, "Plan du site")
    statements = [(on, sql) for on, sql in answer["statements"] if sql not in POSITIONS]
    first_write = next(
        index for index, (_on, sql) in enumerate(statements) if sql.startswith("UPDATE")
    )
    assert statements[first_write][0] == "default"
    assert any(on == "replica" for on, _sql in statements[:first_write])
    assert statements[first_write + 1 :]
    assert [sql for on, sql in statements[first_write:] if on == "replica"] == []
    # And the visitor's next requests, until the replica has replayed the write.
    assert "bastide_wrote" in answer["cookies"]


def test_a_visitor_who_wrote_reads_the_primary_until_the_replica_has_their_write(app, pair):
    form = {"email": "lecteur@example.org", "banners": "on", "consentement": "on"}
    pair.pause_replay()
    try:
        wrote = app("post", path="/alertes/", data=form)["cookies"]
        app("forget")
        answer = app("get", path=PAGE, cookies=wrote)
        served(answer, "Plan du site")
        assert reads(answer, "replica") == []
        assert reads(answer, "default")
    finally:
        pair.resume_replay()
    pair.wait_for_replay()
    app("forget")
    answer = app("get", path=PAGE, cookies=wrote)
    served(answer, "Plan du site")
    assert reads(answer, "replica")


def test_editors_and_the_admin_read_the_primary(app):
    session = app("login")["cookies"]
    app("forget")
    admin = app("get", path="/admin/", cookies=session)
    assert admin["status"] == 200
    assert reads(admin, "default")
    assert reads(admin, "replica") == []

    page = app("get", path=PAGE, cookies=session)
    served(page, "Plan du site")
    assert reads(page, "replica") == []

    login = app("get", path="/admin/login/")
    assert login["status"] == 200
    assert reads(login, "replica") == []


def test_a_lagging_replica_never_fills_the_caches_under_a_new_version(app, pair):
    page = app("page_at", path=PAGE)
    app("forget")
    served(app("get", path=PAGE), page["title"])
    pair.pause_replay()
    try:
        app("publish", page_id=page["id"], title="Plan du site, revu")
        query = "SELECT title FROM wagtailcore_page WHERE id = %s"
        assert pair.replica(query, [page["id"]]) == [(page["title"],)]  # it lags, for real

        answer = app("get", path=PAGE)
        served(answer, "Plan du site, revu")
        assert reads(answer, "replica") == []
    finally:
        pair.resume_replay()
    pair.wait_for_replay()
    again = app("get", path=PAGE)
    served(again, "Plan du site, revu")
    app("publish", page_id=page["id"], title=page["title"])


def test_the_baker_reads_the_primary_though_it_renders_as_a_visitor(app, pair):
    page = app("page_at", path=PAGE)
    pair.wait_for_replay()
    app("forget")
    baked = app("bake", path=PAGE)
    assert baked["swapped"]
    assert page["title"] in baked["body"]
    assert reads(baked, "default")
    assert reads(baked, "replica") == []

    # Just after a change, whatever the replica has replayed.
    pair.pause_replay()
    try:
        app("publish", page_id=page["id"], title="Plan du site, cuit")
        baked = app("bake", path=PAGE)
    finally:
        pair.resume_replay()
    assert "Plan du site, cuit" in baked["body"]
    app("publish", page_id=page["id"], title=page["title"])


def test_without_the_check_the_lagging_replica_would_be_cached_under_the_new_version(app, pair):
    """What the check above prevents, shown with the check off: a page view just after the
    change reads the old page on the replica and keeps it under the change's version, so the
    old page outlives the lag."""
    page = app("page_at", path=PAGE)
    app("forget")
    served(app("get", path=PAGE), page["title"])
    app("trust_replica", on=True)
    pair.pause_replay()
    try:
        app("publish", page_id=page["id"], title="Plan du site, jamais vu")
        assert page["title"] in app("get", path=PAGE)["body"]
    finally:
        pair.resume_replay()
        app("trust_replica", on=False)
    pair.wait_for_replay()
    stale = app("get", path=PAGE)
    assert "Plan du site, jamais vu" not in stale["body"]
    assert page["title"] in stale["body"]
    app("publish", page_id=page["id"], title=page["title"])


def test_pages_are_served_from_the_primary_while_the_replica_is_down(app, pair):
    app("forget")
    served(app("get", path="/"), "Bergerac")
    pair.wait_for_replay()
    served(app("get", path="/"), "Bergerac")  # the process knows the replica has it all
    pair.stop_replica()
    try:
        # Found down by a page view's first read there: answered again from the primary.
        answer = app("get", path=PAGE)
        served(answer, "Plan du site")
        assert reads(answer, "default")
        assert "read replica unreachable (error during a request)" in app.output()
        # Then left alone: the next page views read the primary from the start.
        app("forget")
        answer = app("get", path=PAGE)
        served(answer, "Plan du site")
        assert reads(answer, "default")
    finally:
        pair.restart_replica()
