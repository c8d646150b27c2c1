"""Load with wrk (-t2 -c8, as every figure of the issue) and one-off requests."""

import http.client
import os
import re
import subprocess
from dataclasses import dataclass

DURATION = os.environ.get("BENCH_DURATION", "10s")
WARMUP = os.environ.get("BENCH_WARMUP", "2s")
# What a browser sends: baked pages are then served from their .br file.
BROWSER = {"Accept-Encoding": "br, gzip"}
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Load:
    rate: float = 0.0  # requests per second
    p50: float | None = None  # milliseconds
    p99: float | None = None
    errors: int = 0  # non-2xx/3xx responses and socket errors
    output: str = ""

    def cells(self):
        return f"{self.rate:>8.0f} {ms(self.p50):>8} {ms(self.p99):>8}"


def ms(value):
    return "?" if value is None else f"{value:.1f}ms"


def _latency(out, percent):
    found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    return float(found.group(1)) * UNITS_MS[found.group(2)] if found else None


def parse(out):
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        # wrk counts a read error for each connection the server closes after its answer
        # (gunicorn's sync workers: no keep-alive): not an error of the page.
        errors += sum(int(socket_errors.group(i)) for i in (1, 3, 4))
    return Load(
        rate=float(rate.group(1)) if rate else 0.0,
        p50=_latency(out, 50),
        p99=_latency(out, 99),
        errors=errors,
        output=out,
    )


def wrk(port, host, path, headers=None, duration=DURATION, warmup=WARMUP):
    """Warm up, then load http://127.0.0.1:port/path with Host: host."""
    command = ["wrk", "-t2", "-c8", "-H", f"Host: {host}"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    url = f"http://127.0.0.1:{port}{path}"
    if warmup and warmup not in {"0", "0s"}:
        subprocess.run([*command, f"-d{warmup}", url], capture_output=True, check=False)
    result = subprocess.run(
        [*command, f"-d{duration}", "--latency", url], capture_output=True, text=True, check=False
    )
    return parse(result.stdout + result.stderr)


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


def get(port, host, path, headers=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()
