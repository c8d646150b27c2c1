"""The demo's stand-ins for Commons files: simple labelled images drawn by Pillow.

Never taken for a photo: each says « Image de démonstration » and the commune's name, and
the replayed metadata credit them as such (Artist « Image de démonstration (Bastide) »,
CC0), so the sync marks them `demo_stand_in`.
"""

import io
import zlib

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 640, 360


def label(name: str) -> str:
    """ "Bastide_demo_-_Saint-Cyprien.jpg" -> "Saint-Cyprien"."""
    stem = name.rsplit("/", 1)[-1].split(".", 1)[0].replace("_", " ")
    return stem.split(" - ", 1)[-1].strip()


def draw(name: str) -> bytes:
    """A landscape gradient (JPEG), or a plain shield (PNG, for a coat of arms' rendition)."""
    seed = zlib.crc32(name.encode())
    if name.lower().endswith(".png"):
        return _shield(label(name), seed)
    top = (120 + seed % 60, 170 + seed % 50, 215)
    bottom = (90 + seed % 70, 130 + seed % 40, 70)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    pixels = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        pixels.line(
            [(0, y), (WIDTH, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    _caption(pixels, label(name))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60, optimize=True)
    return buffer.getvalue()


def _shield(text, seed) -> bytes:
    image = Image.new("RGB", (300, 360), (245, 245, 240))
    pixels = ImageDraw.Draw(image)
    colour = (40 + seed % 150, 60, 120 + seed % 100)
    pixels.polygon([(30, 20), (270, 20), (270, 200), (150, 340), (30, 200)], fill=colour)
    pixels.text((150, 120), "Blason", fill="white", anchor="mm", font=_font(28))
    pixels.text((150, 160), "démonstration", fill="white", anchor="mm", font=_font(18))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _caption(pixels, text):
    pixels.rectangle([0, HEIGHT - 90, WIDTH, HEIGHT], fill=(20, 30, 40))
    pixels.text((20, HEIGHT - 75), text[:40], fill="white", font=_font(30))
    pixels.text((20, HEIGHT - 32), "Image de démonstration", fill=(220, 220, 220), font=_font(18))


def _font(size):
    return ImageFont.load_default(size=size)
