"""The servers the bench starts, each on a free port, each stopped by the ExitStack that
started it (whatever happens): Redis, gunicorn, nginx as the physical limit, nginx as the
production front."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
NGINX = "/usr/sbin/nginx"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"


def production_env(**extra):
    """The environment gunicorn runs with in the benches: production settings, no TLS."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SITE_PORT": os.environ.get("SITE_PORT", "8000"),
        "STATIC_ROOT": str(ROOT / "static"),
        # Formatted as in production, written nowhere: the figures are the app's.
        "GUNICORN_ACCESS_LOG": "/dev/null",
        **extra,
    }


class BenchError(Exception):
    """A server could not be started: the bench stops with this message."""


def missing_tools():
    """What the bench needs and the machine lacks, with the command that installs it."""
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk is missing: apt-get install -y wrk")
    if not os.path.exists(NGINX) or not os.path.exists(BROTLI_MODULE):
        missing.append("nginx (with its brotli_static module) is missing: bin/nginx-deps")
    return missing


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_open(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def tail(path, lines=20):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Server:
    """A child process listening on `port`; its output goes to `log`."""

    name = "server"

    def __init__(self, command, port, log, env=None, cwd=ROOT, stdout=True):
        self.command, self.port, self.log = command, port, Path(log)
        self.env, self.cwd, self.stdout = env, cwd, stdout
        self.process = None

    def start(self, timeout=60):
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=out if self.stdout else subprocess.DEVNULL,
                stderr=out,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} stopped at start:\n{tail(self.log)}")
            if is_open(self.port):
                return self
            time.sleep(0.1)
        self.stop()
        raise BenchError(f"{self.name} did not listen on {self.port} in {timeout} s")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(stack, server, timeout=60):
    """Start `server`; `stack` stops it (registered before the start: a half-started one too)."""
    stack.callback(server.stop)
    return server.start(timeout)


def redis(stack, directory):
    """A private redis-server, as production's (a cache: nothing saved)."""
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(directory)]
    server = Server(command, port, Path(directory) / "redis.log")
    server.name = "redis-server"
    start(stack, server)
    return f"redis://127.0.0.1:{port}/0"


def gunicorn(stack, env, log, workers=2):
    """Gunicorn as in production (config/gunicorn.py: preloaded, staggered recycling)."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["--config", "config/gunicorn.py", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = Server(command, port, log, env=env)
    server.name = "gunicorn"
    start(stack, server, timeout=180)
    # The port opens before the master has warmed up (config/gunicorn.py's when_ready) and
    # forked its workers: ready once a worker answers, and a moment for the other.
    deadline = time.monotonic() + 180
    while not _answers(port, "/healthz"):
        if time.monotonic() > deadline or server.process.poll() is not None:
            raise BenchError(f"gunicorn does not answer:\n{tail(log)}")
        time.sleep(0.2)
    time.sleep(2)
    return server


def _answers(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _nginx(stack, directory, conf, port, name, stdout=True):
    command = [NGINX, "-p", str(directory), "-c", str(conf), "-g", "daemon off;"]
    server = Server(command, port, Path(directory) / "nginx.out", stdout=stdout)
    server.name = name
    return start(stack, server)


LIMIT_CONF = """\
load_module {module};
{user}
worker_processes auto;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server {{
        listen 127.0.0.1:{port};
        root {directory}/www;
        gzip_static on;
        brotli_static on;
        location = / {{
            try_files /index.html =404;
        }}
    }}
}}
"""


def user_line():
    # A master running as root would hand the workers to `nobody`, who cannot read our
    # temporary directories: as the front's tests do, stay who we are.
    return "user root;" if os.geteuid() == 0 else ""


def static_nginx(stack, directory, page_file):
    """nginx serving a copy of one baked page (and its .gz and .br) at "/", nothing else:
    the physical limit of this machine for that page."""
    directory = Path(directory)
    (directory / "www").mkdir(parents=True)
    for suffix in ("", ".gz", ".br"):
        shutil.copyfile(f"{page_file}{suffix}", directory / "www" / f"index.html{suffix}")
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(
        LIMIT_CONF.format(module=BROTLI_MODULE, user=user_line(), directory=directory, port=port)
    )
    return _nginx(stack, directory, conf, port, "nginx (static limit)")


def front_nginx(stack, directory, env, upstream_port, baked_root):
    """nginx with the production configuration, rendered by `manage.py front_config` from the
    same settings as gunicorn's, in front of it. Its access log, formatted as in production,
    goes to its stdout: written nowhere (as gunicorn's in the bench)."""
    directory = Path(directory)
    conf_dir, run_dir = directory / "conf", directory / "run"
    run_dir.mkdir(parents=True)
    port = free_port()
    command = [sys.executable, "manage.py", "front_config", str(conf_dir)]
    command += [f"--listen=127.0.0.1:{port}", f"--upstream=127.0.0.1:{upstream_port}"]
    command += [f"--baked-root={baked_root}", f"--run-dir={run_dir}"]
    if os.geteuid() == 0:
        command.append("--user=root")
    rendered = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if rendered.returncode != 0:
        raise BenchError(f"manage.py front_config failed:\n{rendered.stderr}")
    conf = conf_dir / "nginx.conf"
    return _nginx(stack, directory, conf, port, "nginx (production front)", stdout=False)
