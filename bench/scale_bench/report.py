"""The scale bench's databases, and its table."""

import os
import subprocess
import sys

import dj_database_url

from bench.serve_bench.processes import ROOT


class Databases:
    """`<name>_scale_tpl`, migrated once, and a copy of it per size."""

    def __init__(self, url):
        from bench.provision import Databases as Server

        self.server = Server(url)  # its connection to the `postgres` maintenance database
        self.config = dj_database_url.parse(url)
        self.base = self.config["NAME"] or "bastide"
        self.names = []

    def url(self, name):
        c = self.config
        auth = c["USER"] + (f":{c['PASSWORD']}" if c["PASSWORD"] else "")
        port = f":{c['PORT']}" if c["PORT"] else ""
        return f"postgres://{auth}@{c['HOST'] or 'localhost'}{port}/{name}"

    def _run(self, template, *names):
        with self.server.maintenance() as conn:
            self.server._execute(conn, template, *names)

    def _fresh(self, name, template=None):
        self._run("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
        if template:
            self._run("CREATE DATABASE {} TEMPLATE {}", name, template)
        else:
            self._run("CREATE DATABASE {}", name)
        self.names.append(name)
        return self.url(name)

    def template(self):
        name = f"{self.base}_scale_tpl"
        url = self._fresh(name)
        env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.dev")
        env.pop("DATABASE_REPLICA_URL", None)
        command = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        self.template_name = name

    def create(self, size):
        return self._fresh(f"{self.base}_scale_{size}", self.template_name)

    def drop(self):
        for name in self.names:
            self._run("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


# --- the table ------------------------------------------------------------------------------------


def _rows(r):
    p, s = r["provision"], r["serving"]
    n = r["collectivites"]
    rows = [
        ("collectivités", n, "{:,}"),
        ("provisioning processes", r.get("workers", 1), "{}"),
        ("registry load (s)", r["registry_s"], "{:.1f}"),
        ("provisioning (ms per collectivité)", 1000 * p["first"] / n, "{:.1f}"),
        ("provisioning, total (s)", p["first"], "{:.0f}"),
        ("re-run, nothing to do (s)", p["rerun"], "{:.1f}"),
        ("visitors' index rebuilt (s)", p["index"], "{:.0f}"),
        ("provisioning failures", p["failed"], "{}"),
    ]
    for label in ("accueil", "la mairie"):
        rows += [
            (f"{label}: req/s", s[label]["rps"], "{:.0f}"),
            (f"{label}: p99 (ms)", s[label]["p99"], "{:.1f}"),
            (f"{label}: queries (warm)", s[label]["queries"], "{}"),
        ]
    rows += [
        ("after a publish elsewhere: queries", s["after_publish"]["queries"], "{}"),
        ("after a publish elsewhere: first request (ms)", s["after_publish"]["ms"], "{:.1f}"),
        ("worker memory, warm (MB, largest)", max(s["memory"] or [0]), "{:.0f}"),
        ("search p95, everything (ms)", r["search"]["portal"], "{:.1f}"),
        ("search p95, one site (ms)", r["search"]["site"], "{:.1f}"),
    ]
    for label, figure in r["listings"].items():
        bad = "" if figure["status"] == 200 else f" [{figure['status']}]"
        rows.append((f"{label} (ms){bad}", figure["ms"], "{:.0f}"))
    rows.append(("check --deploy (s)", r["check_deploy"]["s"], "{:.1f}"))
    return rows


# (label, the 160 figure's multiple it may reach) for the per-request targets.
RATIO_TARGETS = {
    "accueil: p99 (ms)": 1.2,
    "la mairie: p99 (ms)": 1.2,
    "accueil: queries (warm)": 1.2,
    "la mairie: queries (warm)": 1.2,
    "after a publish elsewhere: queries": 1.2,
    "worker memory, warm (MB, largest)": 1.5,
}
ABSOLUTE_TARGETS = {
    "provisioning (ms per collectivité)": 30,
    "search p95, everything (ms)": 100,
}


def table(results):
    columns = [_rows(r) for r in results]
    width = max(len(label) for label, _v, _f in columns[0]) + 2
    lines = [
        "".join([f"{'':<{width}}", *(f"{r['size']:>12,}" for r in results)]),
    ]
    for i, (label, _value, _fmt) in enumerate(columns[0]):
        cells = [fmt.format(col[i][1]) for col in columns for fmt in [col[i][2]]]
        lines.append("".join([f"{label:<{width}}", *(f"{c:>12}" for c in cells)]))
    lines.append("")
    lines.append("Targets (against the first size):")
    first = {label: value for label, value, _f in columns[0]}
    for col, r in zip(columns, results, strict=True):
        values = {label: value for label, value, _f in col}
        for label, ratio in RATIO_TARGETS.items():
            base = first[label] or 1
            got = values[label] / base
            verdict = "met" if got <= ratio else "MISSED"
            lines.append(f"  {r['size']:>7,}  {label}: ×{got:.2f} (≤ ×{ratio}) {verdict}")
        for label, limit in ABSOLUTE_TARGETS.items():
            verdict = "met" if values[label] <= limit else "MISSED"
            lines.append(f"  {r['size']:>7,}  {label}: {values[label]:.1f} (≤ {limit}) {verdict}")
    return "\n".join(lines)
