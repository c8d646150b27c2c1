"""Where a site's baked files live (the spec shared with Django's server and nginx).

BAKED_ROOT/sites/<host> is a relative symlink to ../generations/<host>/<generation>/; a
generation holds one file per URL (+ .gz and .br) and manifest.json.
"""

import contextlib
import fcntl
import os
import re
import shutil
import time
from pathlib import Path

from django.conf import settings

MANIFEST = "manifest.json"
HOST_RE = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
EXTENSIONS = {
    "text/html": "html",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/rss+xml": "xml",
    "application/atom+xml": "xml",
    "text/calendar": "ics",
    "application/json": "json",
    "application/geo+json": "json",
    "text/plain": "txt",
    "text/css": "css",
}
# A generation being written, not yet swapped in (a crashed bake leaves one behind).
PENDING_PREFIX = ".pending-"
STALE_PENDING_SECONDS = 3600


def root():
    return Path(settings.BAKED_ROOT)


def host_of(site):
    return site.hostname.lower()


def site_link(host):
    return root() / "sites" / host


def generations_dir(host):
    return root() / "generations" / host


def file_for(path, content_type):
    """The file of URL `path` in a generation, or None when the path cannot be one."""
    media_type = content_type.split(";")[0].strip().lower()
    extension = EXTENSIONS.get(media_type)
    parts = [p for p in path.split("/") if p]
    if any(p in {".", ".."} or "\0" in p or p.startswith(".") for p in parts):
        return None
    if path.endswith("/"):
        if extension is None:
            return None
        return "/".join([*parts, f"index.{extension}"])
    if not parts or "." not in parts[-1]:
        return None
    return "/".join(parts)


@contextlib.contextmanager
def host_lock(host):
    """One swap or withdrawal of a host's files at a time (every process, same machine)."""
    locks = root() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{host}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_generation(host):
    try:
        return os.path.basename(os.readlink(site_link(host)).rstrip("/"))
    except OSError:
        return None


def swap(host, generation):
    """Point the host's symlink at `generation` (atomic: a reader sees the old or the new
    one); keep that generation and the one it replaces, delete the others. Under host_lock."""
    previous = current_generation(host)
    link = site_link(host)
    link.parent.mkdir(parents=True, exist_ok=True)
    temporary = link.with_name(f".{host}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(f"../generations/{host}/{generation}", temporary)
    os.replace(temporary, link)
    prune(host, keep={generation, previous})


def withdraw_host(host):
    """Remove the host's symlink: its pages are served by Django again. Under host_lock."""
    with contextlib.suppress(FileNotFoundError):
        site_link(host).unlink()


def prune(host, keep):
    directory = generations_dir(host)
    if not directory.is_dir():
        return
    now = time.time()
    for entry in directory.iterdir():
        if entry.name in keep:
            continue
        fresh = now - entry.stat().st_mtime < STALE_PENDING_SECONDS
        if entry.name.startswith(PENDING_PREFIX) and fresh:
            continue  # another bake is writing it
        shutil.rmtree(entry, ignore_errors=True)


def baked_hosts():
    directory = root() / "sites"
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if not p.name.startswith("."))
