"""A replay server on 127.0.0.1 for the whole module, answering each test from its own data:
the three shared communes, each with a P18 file (tiny JPEGs), under CC BY-SA 4.0."""

import hashlib
import io

import pytest
from PIL import Image

from photos.replay import Recorded, ReplayServer
from photos.services.client import Client

CODES = {"24037": "Bergerac", "24223": "Lalinde", "24167": "Eymet"}


def jpeg(colour=(120, 160, 200), size=(12, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def png(size=(10, 12)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def item(code):
    return f"Q8{code}"


def claim(value):
    return {"mainsnak": {"datavalue": {"value": value, "type": "string"}}, "rank": "normal"}


def put_file(recorded, name, body, *, licence="CC BY-SA 4.0", svg=False, extra=None):
    """A Commons file page with imageinfo, its bytes served at /upload/<name>."""
    path = name.replace(" ", "_")
    with Image.open(io.BytesIO(body)) as image:
        width, height = image.size
    recorded.files[path] = body
    info = {
        "url": f"{{replay}}/upload/{path}",
        "thumburl": f"{{replay}}/upload/{path}",
        "thumbwidth": width,
        "thumbheight": height,
        "width": width,
        "height": height,
        "size": len(body),
        "sha1": hashlib.sha1(body).hexdigest(),  # noqa: S324
        "mime": "image/jpeg",
        "descriptionurl": f"https://commons.wikimedia.org/wiki/File:{path}",
        "extmetadata": {
            "Artist": {
                "value": '<a href="//commons.wikimedia.org/wiki/User:Jean" title="User:Jean">'
                "Jean <b>Dupont</b></a>"
            },
            "LicenseShortName": {"value": licence},
            "LicenseUrl": {"value": "https://creativecommons.org/licenses/by-sa/4.0"},
            "AttributionRequired": {"value": "true"},
            "ImageDescription": {
                "value": "<p>Vue de la place et de l'église depuis le pont, un matin "
                "d'automne, avec le marché, les platanes, la halle et les toits de tuiles "
                "rondes qui descendent vers la rivière &amp; les quais.</p>"
            },
        },
    }
    if svg:  # the SVG itself is not served; its rendition is the PNG Commons drew
        recorded.files[f"{path}.png"] = recorded.files.pop(path)
        info.update(mime="image/svg+xml", thumburl=f"{{replay}}/upload/{path}.png")
        info.update(sha1="0" * 40, size=999, width=300, height=360)
    info.update(extra or {})
    recorded.pages[f"File:{name}"] = {"ns": 6, "title": f"File:{name}", "imageinfo": [info]}
    return info


def set_claims(recorded, code, **props):
    recorded.entities[item(code)] = {
        "id": item(code),
        "claims": {prop: [claim(value)] for prop, value in props.items()},
    }


def standard() -> Recorded:
    recorded = Recorded()
    for position, (code, name) in enumerate(CODES.items()):
        recorded.searches[code] = [item(code)]
        set_claims(recorded, code, P18=f"{name} centre.jpg")
        put_file(recorded, f"{name} centre.jpg", jpeg((40 * position, 100, 150)))
    return recorded


@pytest.fixture(scope="module")
def replay_server():
    with ReplayServer(Recorded()) as server:
        yield server


@pytest.fixture
def replay(replay_server, settings, communes):
    """The test's recorded data (three communes with a photo each), the settings on it."""
    for name, value in replay_server.settings().items():
        setattr(settings, name, value)
    settings.PHOTOS_MAX_RETRIES = 2
    settings.PHOTOS_TIMEOUT = (1.0, 0.3)
    return replay_server.use(standard())


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client_(sleeps):
    """An API client that records its waits instead of sleeping."""
    return Client(sleep=sleeps.append)
