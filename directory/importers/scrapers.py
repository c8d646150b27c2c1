"""Sources that publish only web pages, read with beautifulsoup4 behind the importer
interface. Pages are untrusted: fetched with a timeout, a User-Agent and a size limit,
decoded strictly, parsed by lxml's HTML parser (no network, no DTD), followed only on the
same host and for a bounded number of pages."""

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.importers.base import (
    MAX_BYTES,
    EntryRecord,
    Importer,
    ImportFileError,
    Rejected,
    Source,
    fetch_url,
)
from parsing.text import name_key

MAX_PAGES = 20
CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def decode_html(data: bytes, name: str) -> str:
    match = CHARSET.search(data[:2048])
    encoding = match.group(1).decode("ascii").lower() if match else "utf-8"
    try:
        return data.decode(encoding)
    except LookupError as exc:
        raise ImportFileError(
            _("%(name)s : encodage inconnu « %(enc)s ».")
            % {
                "name": name,
                "enc": encoding,
            }
        ) from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("%(name)s n'est pas en %(enc)s comme elle le déclare (octet %(pos)d).")
            % {"name": name, "enc": encoding, "pos": exc.start}
        ) from exc


def soup(text):
    # lxml's HTML parser: no network access, no external DTD, entities limited to HTML's.
    return BeautifulSoup(text, "lxml")


def text_of(node):
    return " ".join(node.get_text(" ", strip=True).split()) if node else ""


class HtmlScraper(Importer):
    """Fetch a listing page and the pages it links as `next`; subclasses read entries."""

    source = "scraper"
    start_url = ""
    max_bytes = 5 * 1024 * 1024

    def fetch(self, origin=None) -> Source:
        url = str(origin or self.start_url)
        if not url.startswith(("http://", "https://")):
            return super().fetch(origin)  # a recorded page on disk
        host = urlsplit(url).netloc
        pages, seen = [], set()
        while url and len(pages) < MAX_PAGES and url not in seen:
            seen.add(url)
            data = fetch_url(url, min(self.max_bytes, MAX_BYTES))
            pages.append((url, data))
            following = self.next_page(soup(decode_html(data, url)), url)
            url = following if following and urlsplit(following).netloc == host else None
        return Source(str(origin or self.start_url), pages)

    def next_page(self, document, url):
        link = document.select_one("a[rel~=next][href]")
        return urljoin(url, link["href"]) if link else None

    def parse(self, source):
        for name, data in source.files:
            document = soup(decode_html(data, name))
            cards = self.cards(document)
            if not cards and not self.is_empty_listing(document):
                raise ImportFileError(
                    _(
                        "%s : la page ne contient pas la liste attendue ; le site a peut-être "
                        "changé de présentation. Rien n'a été importé."
                    )
                    % name
                )
            for position, card in enumerate(cards, 1):
                try:
                    yield self.entry(card, name)
                except (ValueError, KeyError) as exc:
                    yield Rejected(f"{name} #{position}", str(exc))

    def cards(self, document):
        raise NotImplementedError

    def is_empty_listing(self, document):
        return False

    def entry(self, card, page_url) -> EntryRecord:
        raise NotImplementedError


class ProducteursScraper(HtmlScraper):
    """The farm producers' directory of a tourist office ("Producteurs du Bergeracois"):
    one card per producer, paginated with rel=next."""

    source = "scraper:producteurs"
    label = gettext_lazy("Producteurs locaux (office de tourisme, page web)")

    def __init__(self, start_url=""):
        self.start_url = start_url
        self.needs_origin = not start_url
        self._communes = None

    def cards(self, document):
        return document.select("article.producteur")

    def is_empty_listing(self, document):
        return document.select_one(".liste-producteurs") is not None

    def commune_code(self, postcode, city):
        if self._communes is None:
            from communes.models import Collectivite

            self._communes = {}
            for code, name, postcodes in Collectivite.objects.filter(
                kind=Collectivite.Kind.COMMUNE
            ).values_list("code", "name", "postcodes"):
                for pc in postcodes or [""]:
                    self._communes[(pc, name_key(name))] = code
                self._communes.setdefault(("", name_key(name)), code)
        key = name_key(city)
        return self._communes.get((postcode, key)) or self._communes.get(("", key))

    def entry(self, card, page_url):
        name = text_of(card.select_one(".producteur__nom"))
        external_id = card.get("id") or card.get("data-id") or ""
        if not name or not external_id:
            raise ValueError(_("producteur sans nom ou sans identifiant"))
        locality = card.select_one(".producteur__commune")
        match = re.match(r"(\d{5})\s+(.+)", text_of(locality))
        postcode, city = (match.group(1), match.group(2)) if match else ("", text_of(locality))
        phone = card.select_one("a[href^='tel:']")
        site = card.select_one("a.producteur__site[href]")
        email = card.select_one("a[href^='mailto:']")
        return EntryRecord(
            external_id=external_id[:200],
            name=name,
            category="producteurs",
            commune_code=self.commune_code(postcode, city) or "",
            fields={
                "description": text_of(card.select_one(".producteur__produits")),
                "address": text_of(card.select_one(".producteur__adresse")),
                "postcode": postcode,
                "city": city[:100],
                "phone": text_of(phone)[:40],
                "email": email["href"].removeprefix("mailto:").strip() if email else "",
                "website": urljoin(page_url, site["href"]) if site else "",
                "extra": {
                    "vente": text_of(card.select_one(".producteur__vente")),
                }
                if card.select_one(".producteur__vente")
                else {},
            },
        )


SCRAPERS = {"producteurs": ProducteursScraper}
