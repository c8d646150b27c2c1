"""The files of the demo: a PDF with text in it, a photo of a landscape. Drawn here, so the
demo needs nothing downloaded; the tests use them too, for documents and images."""

import io

from PIL import Image as PILImage
from PIL import ImageDraw


def minimal_pdf(lines: list[str], per_page=50, size=12, leading=16) -> bytes:
    """A small valid PDF whose text can be extracted (Helvetica, WinAnsi), `per_page` lines
    to an A4 page."""

    def esc(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, page in enumerate(pages):
        stream = f"BT /F1 {size} Tf 50 790 Td {leading} TL " + " ".join(
            f"({esc(t)}) '" for t in page
        )
        content = (stream + " ET").encode("cp1252", errors="replace")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def landscape_jpeg(seed: int, width=1200, height=700) -> bytes:
    """An abstract landscape (sky, hills, river) that stands in for a photo of the commune."""
    image = PILImage.new("RGB", (width, height), (170, 200, 225))
    draw = ImageDraw.Draw(image)
    hue = seed % 40
    draw.rectangle([0, int(height * 0.55), width, height], fill=(110 + hue, 140, 80))
    for i in range(4):
        top = int(height * (0.35 + 0.07 * i))
        draw.ellipse(
            [-200 + i * 350 + hue * 3, top, 500 + i * 350 + hue * 3, top + 500],
            fill=(90 + 15 * i, 120 + hue, 70),
        )
    draw.rectangle([0, int(height * 0.8), width, int(height * 0.86)], fill=(90, 140, 170))
    draw.rectangle(
        [int(width * 0.6), int(height * 0.42), int(width * 0.66), int(height * 0.62)],
        fill=(220, 200, 160),
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
