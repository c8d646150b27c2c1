"""The secretaries' guide (docs/guide-secretaire.md), rendered for the admin's « Aide ».

The markdown lives in the repository so that it is read and reviewed like code, and so that
its screenshots (docs/guide-secretaire/, made by tests/browser/test_guide_screenshots.py)
sit beside it. The same text is served to every editor: it names no collectivité.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings
from django.urls import reverse
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

GUIDE = Path(settings.BASE_DIR) / "docs" / "guide-secretaire.md"
IMAGES = GUIDE.with_suffix("")  # docs/guide-secretaire/
IMAGE_PREFIX = IMAGES.name + "/"
# A screenshot's name: what the browser test writes, nothing that could climb out.
IMAGE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,80}\.png")


@dataclass(frozen=True)
class RenderedGuide:
    title: str
    html: str
    toc: str  # the table of contents, a nested <ul>


class _AdminImages(Treeprocessor):
    """`guide-secretaire/x.png` (relative to the markdown, as a reader of the repository
    sees it) becomes the admin's URL for that screenshot, and a link to it at full size:
    the text column shows a 1280-pixel window at half its width."""

    def run(self, root):
        for parent in list(root.iter()):
            for index, img in enumerate(list(parent)):
                if img.tag != "img":
                    continue
                name = img.get("src", "").removeprefix(IMAGE_PREFIX)
                if not IMAGE_NAME.fullmatch(name):
                    continue
                url = reverse("communes_guide_image", args=[name])
                img.set("src", url)
                img.set("loading", "lazy")
                link = etree.Element("a", {"href": url})
                link.tail, img.tail = img.tail, None
                parent.remove(img)
                link.append(img)
                parent.insert(index, link)


class _NoRawHtml(Extension):
    """The guide is ours, but HTML in it would be served in the admin as is: it is shown as
    text instead, so that the markdown stays plain markdown."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_AdminImages(md), "guide_images", 1)


def french_spacing(text):
    """No line break between a word and the « : ; ? ! » after it, nor inside « »: the
    markdown is typed with plain spaces, the page shows no-break ones."""
    text = re.sub(r"(?<=\S) ([:;?!»])", "\u00a0\\1", text)
    return re.sub(r"« ", "«\u00a0", text)


def image_path(name):
    """The file of a screenshot by its name, or None: only a file of the guide's folder."""
    if not IMAGE_NAME.fullmatch(name):
        return None
    path = IMAGES / name
    return path if path.is_file() else None


def render_guide():
    stat = GUIDE.stat()
    return _render(stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1)
def _render(mtime, size):
    # Keyed by the file's time and size: a fixed guide is read once per process.
    text = french_spacing(GUIDE.read_text(encoding="utf-8"))
    md = markdown.Markdown(
        extensions=["toc", "tables", _NoRawHtml()],
        extension_configs={"toc": {"toc_depth": "2-2"}},
        output_format="html",
    )
    html = md.convert(text)
    heading = re.search(r"^# (.+)$", text, flags=re.M)
    title = heading.group(1).strip() if heading else ""
    # The title (the only <h1>) is the admin header's; the body starts below it.
    html = re.sub(r"\A\s*<h1[^>]*>.*?</h1>\s*", "", html, count=1, flags=re.S)
    return RenderedGuide(title=title, html=html, toc=md.toc)
