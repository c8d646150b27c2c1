"""The recordings, served to the player: the web copy when ready, else the original
(`?original=1` for the original), streamed, with HTTP Range (one range), HEAD, ETag and
Last-Modified.

A recording is public when a live entry or expression uses it; otherwise it is a 404 for
visitors and heard only by signed-in users who may view or change the Occitan section.
"""

import re
from datetime import UTC, datetime

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from occitan.models import Entry, Expression, Recording

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
YEAR = 365 * 24 * 3600
PERMISSIONS = [
    f"occitan.{action}_{model}"
    for model in ("recording", "entry", "expression")
    for action in ("view", "change")
]


def audio(request, pk):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    recording = get_object_or_404(Recording, pk=pk)
    public = is_public(recording)
    if not public and not may_listen(request.user):
        raise Http404
    stored, mime_type, original = chosen_file(recording, request.GET.get("original") == "1")
    try:
        size = stored.storage.size(stored.name)
    except OSError:
        raise Http404 from None
    modified = modified_at(stored, recording)
    tag = quote_etag(f"{recording.version()}-{'o' if original else 'w'}")
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": tag,
        "Last-Modified": http_date(modified.timestamp()),
        "Cache-Control": cache_control(request, recording, public),
        "Content-Type": mime_type,
    }
    if not_modified(request, tag, modified):
        return with_headers(HttpResponse(status=304), headers)
    wanted = requested_range(request, tag, size)
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416)
        headers["Content-Range"] = f"bytes */{size}"
        return with_headers(response, headers)
    start, end = wanted or (0, size - 1)
    status = 206 if wanted else 200
    if wanted:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1 if size else 0)
    if request.method == "HEAD":
        return with_headers(HttpResponse(status=status), headers)
    stream = stored.storage.open(stored.name, "rb")
    if not wanted:
        response = FileResponse(stream, content_type=mime_type)
    else:
        response = StreamingHttpResponse(
            read_range(stream, start, end), status=206, content_type=mime_type
        )
    return with_headers(response, headers)


def is_public(recording):
    return (
        Entry.objects.filter(recording=recording, live=True).exists()
        or Expression.objects.filter(recording=recording, live=True).exists()
    )


def may_listen(user):
    return user.is_authenticated and any(user.has_perm(perm) for perm in PERMISSIONS)


def chosen_file(recording, original):
    """(file, MIME type, is the original): the web copy when ready and not refused."""
    ready = recording.status == Recording.Status.READY and recording.web_file
    if ready and not original:
        return recording.web_file, recording.web_mime_type or "audio/ogg", False
    if not recording.original:
        raise Http404
    return recording.original, recording.mime_type or "application/octet-stream", True


def modified_at(stored, recording):
    try:
        modified = stored.storage.get_modified_time(stored.name)
    except (NotImplementedError, OSError, AttributeError):
        modified = recording.created_at or datetime.now(UTC)
    return modified.replace(microsecond=0)


def cache_control(request, recording, public):
    """Long for a public recording asked at its current version (the URL changes with the
    files), an hour for a public one asked without; never kept by shared caches otherwise."""
    if not public:
        return "private, no-cache"
    if request.GET.get("v") == recording.version():
        return f"public, max-age={YEAR}, immutable"
    return "public, max-age=3600"


def not_modified(request, tag, modified):
    match = request.headers.get("If-None-Match")
    if match is not None:
        return match.strip() == "*" or tag in [t.strip() for t in match.split(",")]
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and int(modified.timestamp()) <= since


def requested_range(request, tag, size):
    """(start, end) inclusive for one satisfiable byte range, None for the whole file
    (no Range, a malformed one, several ranges, or an If-Range that no longer matches),
    "unsatisfiable" for a range past the end."""
    header = request.headers.get("Range", "").strip()
    if_range = request.headers.get("If-Range")
    if not header or (if_range is not None and if_range.strip() != tag):
        return None
    found = RANGE.match(header.replace(" ", ""))
    if not found or found.groups() == ("", ""):
        return None
    first, last = found.groups()
    if first == "":
        length = int(last)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, end


def read_range(stream, start, end):
    """The bytes start..end, read CHUNK at a time; the file is closed however it ends."""
    try:
        stream.seek(start)
        left = end - start + 1
        while left > 0:
            chunk = stream.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        stream.close()


def with_headers(response, headers):
    for name, value in headers.items():
        response[name] = value
    return response
