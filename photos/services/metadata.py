"""From Commons' imageinfo to the credit, the licence and the alt text of a SiteImage;
and the check of the bytes downloaded.

Licences accepted (docs/photos.md): CC0, public domain, CC BY and CC BY-SA (any version).
Refused: anything flagged NonFree, NC/ND variants, GFDL alone (it asks for the whole licence
text beside each reuse, which a photo on a home page cannot carry) and anything unknown.
"""

import hashlib
import io
import re
import urllib.parse
from dataclasses import dataclass

from bs4 import BeautifulSoup
from PIL import Image, UnidentifiedImageError

from photos.services.client import FetchError

ALT_MAX = 150
FREE = re.compile(
    r"^(cc0|cc-zero|pd\b|pd-|public domain|domaine public|cc[ -]by(-sa)?([ -]\d|$))", re.I
)
NO_ATTRIBUTION = re.compile(r"^(cc0|cc-zero|pd\b|pd-|public domain|domaine public)", re.I)
RASTER_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "TIFF"}


@dataclass
class Provenance:
    credit: str
    credit_url: str
    licence: str
    licence_url: str
    attribution_required: bool
    source_url: str
    description: str


def html_to_text(html: str) -> str:
    """Visible text of an extmetadata value (HTML), entities decoded; nothing fetched."""
    if not html:
        return ""
    text = BeautifulSoup(html, "lxml").get_text(" ", strip=True)
    return re.sub(r"\s+", " ", text).strip()


def first_link(html: str, base: str) -> str:
    """The first http(s) link of an HTML value, made absolute against `base`."""
    if not html or "<a" not in html:
        return ""
    for anchor in BeautifulSoup(html, "lxml").find_all("a", href=True):
        href = urllib.parse.urljoin(base, anchor["href"].strip())
        if urllib.parse.urlsplit(href).scheme in ("http", "https"):
            return href[:500]
    return ""


def shorten(text: str, limit: int = ALT_MAX) -> str:
    """At most `limit` characters, cut on a word boundary with an ellipsis."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def provenance(info: dict) -> Provenance:
    """Credit and licence of a file, or FetchError when its licence is not free."""
    meta = {k: (v or {}).get("value", "") for k, v in (info.get("extmetadata") or {}).items()}
    meta = {k: v if isinstance(v, str) else str(v) for k, v in meta.items()}
    licence = html_to_text(meta.get("LicenseShortName", "")) or html_to_text(
        meta.get("UsageTerms", "")
    )
    code = meta.get("License", "")
    if meta.get("NonFree", "").strip().lower() in ("true", "1"):
        raise FetchError(f"licence non libre ({licence or '?'})")
    if not (FREE.match(licence) or FREE.match(code)) or re.search(r"\b(nc|nd)\b", licence, re.I):
        raise FetchError(f"licence refusée : {licence or 'inconnue'}")
    source = info.get("descriptionurl", "")
    artist = meta.get("Artist", "") or meta.get("Credit", "")
    attribution = meta.get("AttributionRequired", "").strip().lower()
    required = not (
        attribution == "false" or NO_ATTRIBUTION.match(licence) or NO_ATTRIBUTION.match(code)
    )
    return Provenance(
        credit=html_to_text(artist)[:255],
        credit_url=first_link(artist, source or "https://commons.wikimedia.org/"),
        licence=licence[:100],
        licence_url=_url(meta.get("LicenseUrl", "")),
        attribution_required=required,
        source_url=_url(source),
        description=html_to_text(meta.get("ImageDescription", "")),
    )


def _url(value: str) -> str:
    value = (value or "").strip()
    if value.startswith("//"):
        value = f"https:{value}"
    return value[:500] if urllib.parse.urlsplit(value).scheme in ("http", "https") else ""


def rendition_url(info: dict) -> str:
    """What to download: the raster rendition. An SVG's thumbnail is a PNG Commons drew; an
    SVG itself is never downloaded nor parsed here."""
    url = info.get("thumburl") or info.get("url") or ""
    if not url:
        raise FetchError("pas d'adresse de fichier dans la réponse de Commons")
    if urllib.parse.urlsplit(url).path.lower().endswith(".svg"):
        raise FetchError("fichier SVG sans rendu PNG : refusé")
    return url


def check_bytes(info: dict, url: str, body: bytes) -> tuple[int, int]:
    """The downloaded bytes are a whole raster image; returns its size (width, height).

    The original (the rendition asked for is not narrower than it, so Commons gives the
    file itself): size in bytes and sha1 must match imageinfo. A thumbnail: Commons'
    sha1 and size are the original's, so it is checked by decoding it whole and by its
    dimensions against thumbwidth/thumbheight.
    """
    original = url == info.get("url")
    if original:
        if info.get("size") and len(body) != int(info["size"]):
            raise FetchError(f"taille inattendue ({len(body)} octets au lieu de {info['size']})")
        if info.get("sha1") and hashlib.sha1(body).hexdigest() != info["sha1"]:  # noqa: S324
            raise FetchError("empreinte SHA-1 différente de celle de Commons")
    try:
        with Image.open(io.BytesIO(body)) as image:
            kind = image.format
            image.verify()
        with Image.open(io.BytesIO(body)) as image:
            image.load()
            size = image.size
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise FetchError("image illisible ou tronquée") from exc
    if kind not in RASTER_FORMATS:
        raise FetchError(f"format d'image refusé : {kind}")
    expected = (
        (info.get("width"), info.get("height"))
        if original
        else (info.get("thumbwidth"), info.get("thumbheight"))
    )
    if all(expected) and tuple(int(v) for v in expected) != size:
        raise FetchError(f"dimensions inattendues {size[0]}×{size[1]}")
    return size
