"""A PostgreSQL primary and a standby streaming from it, made with the machine's server
binaries in a temporary directory, on free ports (tests/test_read_replica.py).

initdb refuses to run as root: as root, the servers run as the `postgres` user, which owns the
directory. Durability is off (fsync, synchronous commit): the clusters live for one module.
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from tests.front import free_port

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "bin" / "postgresql-deps"
TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "pg_restore")
DATABASE = "bastide"
CONFIG = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 30
autovacuum = off
"""


def server_binaries():
    """The newest /usr/lib/postgresql/<version>/bin with every tool, or None."""
    found = []
    for folder in glob.glob("/usr/lib/postgresql/*/bin"):
        if all(os.access(os.path.join(folder, tool), os.X_OK) for tool in TOOLS):
            version = Path(folder).parent.name
            found.append((int(version) if version.isdigit() else 0, Path(folder)))
    return max(found)[1] if found else None


def install_server():
    """The binaries, installed by bin/postgresql-deps when missing; else (None, why)."""
    folder = server_binaries()
    if folder is not None:
        return folder, None
    done = subprocess.run([str(INSTALLER)], capture_output=True, text=True, check=False)
    folder = server_binaries()
    if folder is None:
        return None, (done.stderr or done.stdout).strip() or "no PostgreSQL server binaries"
    return folder, None


class Pair:
    """The two servers. `primary_url` and `replica_url` name the `bastide` database on each."""

    def __init__(self, binaries):
        self.bin = binaries
        self.version = binaries.parent.name
        self.dir = Path(tempfile.mkdtemp(prefix="bastide-replica-"))
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.primary_port, self.replica_port = free_port(), free_port()
        self.started = []
        self.timings = {}

    def url(self, port, database=DATABASE):
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self):
        return self.url(self.primary_port)

    @property
    def replica_url(self):
        return self.url(self.replica_port)

    def run(self, tool, *args):
        command = [str(self.bin / tool), *map(str, args)]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done.stdout

    def _timed(self, name, started):
        self.timings[name] = round(time.monotonic() - started, 2)

    def start_primary(self):
        started = time.monotonic()
        data = self.dir / "primary"
        self.run(
            "initdb",
            *("-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"),
            "--no-sync",
        )
        self._append(data / "postgresql.conf", self._config(self.primary_port))
        self._start(data)
        with self.connect(self.primary_port, "postgres") as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        self._timed("primary", started)

    def start_replica(self):
        """A base backup of the primary, started as a standby streaming from it."""
        started = time.monotonic()
        data = self.dir / "replica"
        self.run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres"),
            *("-D", data, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"),
        )
        self._append(data / "postgresql.conf", self._config(self.replica_port))
        self._start(data)
        self._timed("replica", started)

    def _config(self, port):
        return CONFIG.format(port=port, sockets=self.dir)

    def _append(self, path, text):
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)

    def _start(self, data):
        self.run("pg_ctl", "-D", data, "-l", self.dir / f"{data.name}.log", "-w", "start")
        self.started.append(data)

    def stop_replica(self):
        data = self.dir / "replica"
        self.run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        self.started.remove(data)

    def restart_replica(self):
        self._start(self.dir / "replica")

    def stop(self):
        for data in reversed(self.started):
            with contextlib.suppress(RuntimeError):
                self.run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        self.started = []
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self, name):
        path = self.dir / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    # --- SQL, straight to one server ------------------------------------------------------------

    def connect(self, port, database=DATABASE):
        return psycopg.connect(self.url(port, database), autocommit=True)

    def primary(self, sql, params=None):
        return self._query(self.primary_port, sql, params)

    def replica(self, sql, params=None):
        return self._query(self.replica_port, sql, params)

    def _query(self, port, sql, params):
        with self.connect(port) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def pause_replay(self):
        self.replica("SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        self.replica("SELECT pg_wal_replay_resume()")

    def wait_for_replay(self, timeout=20):
        """Until the replica has replayed everything committed on the primary so far.

        A mark is committed now, in the `postgres` database (streamed with the others), and
        looked for on the replica. Comparing WAL positions instead hung in CI: the primary's
        insert position may end with records no commit has flushed yet (the WAL writer
        flushes whole pages), which no standby receives until the next commit. The mark's
        commit flushes them all."""
        with self.connect(self.primary_port, "postgres") as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS replay_mark (n bigint)")
            mark = connection.execute(
                "INSERT INTO replay_mark SELECT coalesce(max(n), 0) + 1 FROM replay_mark"
                " RETURNING n"
            ).fetchone()[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(psycopg.errors.UndefinedTable),
                self.connect(self.replica_port, "postgres") as connection,
            ):
                seen = connection.execute("SELECT 1 FROM replay_mark WHERE n = %s", [mark])
                if seen.fetchone():
                    return
            time.sleep(0.02)
        raise TimeoutError(f"the replica did not replay the primary's mark {mark}")

    # --- The schema and the sites, kept between runs ----------------------------------------------

    def dump(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # Each test process writes its own: two may dump at once (xdist), the last rename
        # wins, with the same contents.
        partial = path.with_suffix(f".{os.getpid()}.partial")
        subprocess.run(
            [str(self.bin / "pg_dump"), "-Fc", "-f", partial, self.primary_url],
            check=True,
            capture_output=True,
        )
        partial.rename(path)

    def restore(self, path):
        started = time.monotonic()
        subprocess.run(
            [str(self.bin / "pg_restore"), "--no-owner", "-d", self.primary_url, path],
            check=True,
            capture_output=True,
        )
        self._timed("restore", started)
