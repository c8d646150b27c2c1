"""The databases: SQLite by default, PostgreSQL at DATABASE_URL, and a read replica of it for
visitors' page views at DATABASE_REPLICA_URL (serving.replica, docs/scaling.md#read-replica)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_BASE_DIR = Path(__file__).resolve().parent.parent.parent

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (the web server) go on while a writer (provisioning) works.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

# --- Read replica ---------------------------------------------------------------------------------
# A standby of DATABASE_URL in streaming replication. Anonymous visitors' GETs read it
# (serving.replica.ReplicaReadsMiddleware); the rest reads and writes the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL at DATABASE_URL.")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # A replica that does not answer holds a page view this long at most (it then reads the
    # primary, serving.replica). Tests use one database: the replica alias mirrors it.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["serving.replica.ReplicaRouter"]
# Always read on the primary, whoever asks: the admin, documents (whose privacy follows the
# primary's collections), an invitation to accept.
REPLICA_PRIMARY_PATHS = ["/admin/", "/documents/", "/compte/"]
# After a visitor's request wrote (a form sent): the primary's WAL position, in this cookie.
# Their next requests read the replica only once it has replayed it (read your writes).
REPLICA_WROTE_COOKIE = "bastide_wrote"
REPLICA_WROTE_SECONDS = int(os.environ.get("REPLICA_WROTE_SECONDS", "60"))
# A replica that did not answer is left alone this long: every request reads the primary.
REPLICA_RETRY_SECONDS = float(os.environ.get("REPLICA_RETRY_SECONDS", "10"))
