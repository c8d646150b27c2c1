"""The comarquage of service-public.fr: the DILA's "vosdroits" fiches, as XML.

Each file is one `Publication`. Its content becomes plain HTML made here from escaped text
and a handful of tags (h2, h3, p, ul, ol, li, table, strong, a href), so what is stored can
be shown as it is; links to other publications point at service-public.fr.
"""

import datetime
import hashlib
import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.importers.base import Importer, Rejected, Scope
from directory.models import Fiche
from directory.services.imports import FicheRecord
from parsing import safexml

# Part of every fiche's digest: change it when the checks or the HTML change, so that the next
# import parses every file again instead of keeping what the old code made of it.
PARSER_VERSION = b"comarquage-1:"
DC = "{http://purl.org/dc/elements/1.1/}"
SP_BASE = "https://www.service-public.fr"
AUDIENCES = {
    "particuliers": "particuliers",
    "professionnels": "professionnels-entreprises",
    "associations": "associations",
}
PUBLICATION_ID = re.compile(r"^[A-Z]{1,3}\d{1,10}(-\d{1,4})?$")
PIVOT_CODE = re.compile(r"^[a-z0-9_]{1,60}$")
MODIFIED = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# XML whitespace only: the no-break spaces of French typography stay.
WHITESPACE = " \t\r\n"
SPACES = re.compile(r"[ \t\r\n]+")
SPACE_BEFORE_STOP = re.compile(r" ([.,)])")
# Links to these are glossary entries and abbreviations, not pages of their own.
UNLINKED_TYPES = {"Sigle", "Acronyme", "Abréviation", "Définition de glossaire"}
FIELD_LIMITS = {"title": 300, "subject": 200, "kind": 60}


class ComarquageImporter(Importer):
    source = "comarquage"
    label = gettext_lazy("Fiches service-public.fr (comarquage)")
    target = "fiches"
    suffixes = (".xml",)

    def parse(self, source):
        known = self.known_digests()
        seen = set()
        for name, data in source.files:
            digest = source_digest(data)
            if digest in known:
                # The very bytes imported last time: checked and parsed then, stored as is.
                fiche_id, audience = known[digest]
                item = FicheRecord(fiche_id, None, digest, audience)
            else:
                item = fiche_record(safexml.parse(data, name, self.max_xml_bytes()), name, digest)
            if isinstance(item, FicheRecord):
                if item.fiche_id in seen:
                    item = Rejected(name, _("la fiche %s est présente deux fois") % item.fiche_id)
                else:
                    seen.add(item.fiche_id)
            yield item

    def known_digests(self):
        """digest → (fiche id, audience): the stored text is its first audience's."""
        return {
            digest: (fiche_id, (audiences or [Fiche.DEFAULT_AUDIENCE])[0])
            for digest, fiche_id, audiences in Fiche.objects.values_list(
                "import_hash", "fiche_id", "audiences"
            )
        }

    def archive_scope(self, source, items):
        """A whole publication (a zip) of one audience covers that audience; a few files, or
        a zip that mixes audiences, covers nothing."""
        if not source.complete:
            return Scope.partial(_("quelques fichiers, pas une publication entière"))
        audiences = {item.audience for item in items if isinstance(item, FicheRecord)}
        if len(audiences) != 1:
            return Scope.partial(_("publication qui mêle plusieurs publics"))
        (audience,) = audiences
        return Scope(_("public %s") % audience, audience)

    def max_xml_bytes(self):
        return min(safexml.MAX_BYTES, self.max_bytes)


def source_digest(data):
    return hashlib.sha256(PARSER_VERSION + data).hexdigest()


def fiche_record(root, name, digest=""):
    if root.tag != "Publication":
        return Rejected(name, _("ce n'est pas une publication service-public.fr"))
    fiche_id = (root.get("ID") or "").strip()
    title = _text(root.find(f"{DC}title"))
    if not fiche_id:
        return Rejected(name, _("la publication n'a pas d'identifiant (ID)"))
    if not PUBLICATION_ID.match(fiche_id):
        return Rejected(name, _("identifiant de publication invalide : %s") % fiche_id[:40])
    if not title:
        return Rejected(name, _("la publication %s n'a pas de titre") % fiche_id)
    audience = _audience(root)
    fields = {
        "kind": root.get("type", ""),
        "title": title,
        "description": _text(root.find(f"{DC}description")),
        "subject": _text(root.find(f"{DC}subject")),
        "modified": _modified(root.findtext(f"{DC}date")),
        "sp_url": _sp_url(root.get("spUrl"), fiche_id, audience),
        "body_html": Body(audience).publication(root),
        "pivots": _pivots(root),
        "online_services": _online_services(root),
    }
    for key, limit in FIELD_LIMITS.items():
        fields[key] = fields[key][:limit]
    return FicheRecord(fiche_id, fields, digest, audience_key(root))


def _text(element):
    return SPACES.sub(" ", "".join(element.itertext())).strip() if element is not None else ""


def _modified(value):
    found = MODIFIED.search(value or "")
    if not found:
        return None
    try:
        return datetime.date(*map(int, found.groups()))
    except ValueError:
        return None


def audience_key(root):
    """The publication's audience as Fiche.audiences names it (particuliers by default)."""
    audience = (root.findtext("Audience") or "").strip().lower()
    return audience if audience in AUDIENCES else Fiche.DEFAULT_AUDIENCE


def _audience(root):
    audience = (root.findtext("Audience") or "").strip().lower()
    return AUDIENCES.get(audience, "particuliers")


def publication_url(publication_id, audience="particuliers"):
    return f"{SP_BASE}/{audience}/vosdroits/{publication_id}"


def _sp_url(value, fiche_id, audience):
    url = safe_url(value)
    if url and len(url) <= 300:
        return url
    return publication_url(fiche_id, audience)


def safe_url(value):
    url = (value or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def _pivots(root):
    codes = (SPACES.sub("", p.text or "").lower() for p in root.iter("PivotLocal"))
    return list(dict.fromkeys(code for code in codes if PIVOT_CODE.match(code)))


def _online_services(root):
    services = {}
    for service in root.iter("ServiceEnLigne"):
        url, title = safe_url(service.get("URL")), _text(service.find("Titre"))
        if url and title:
            services.setdefault(url, {"title": title[:300], "url": url})
    return list(services.values())


# --- body ---------------------------------------------------------------------------------


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text):
    # No numeric references (&#…;): the render-time rich text check treats them as suspect.
    return escape(text).replace('"', "&quot;")


def link(url, label_html):
    return f'<a href="{escape_attribute(url)}">{label_html}</a>'


class Body:
    """HTML of a publication's content. Headings are h2 then h3 from the top of the fiche;
    deeper titles become bold paragraphs, so the page's outline never skips a level."""

    # Anything else (Texte, BlocCas, ListeSituations, FragmentConditionne…) is a container.
    SECTIONS = {"Situation", "Chapitre", "SousChapitre", "Cas"}
    NOTES = {"ASavoir", "Attention", "ANoter"}
    SKIPPED = {"Titre", "Condition", "Source", "RessourceWeb", "PivotLocal"}
    TOP = {"Introduction", "Texte", "ListeSituations"}

    def __init__(self, audience="particuliers"):
        self.audience = audience
        self.block_handlers = {
            "Paragraphe": self.paragraph,
            "Liste": self.list,
            "Tableau": self.table,
            "ServiceEnLigne": self.online_service,
            "OuSAdresser": self.where,
        }
        self.inline_handlers = {
            "MiseEnEvidence": lambda el: f"<strong>{self.inline(el)}</strong>",
            "Expression": lambda el: f"«\u00a0{self.inline(el)}\u00a0»",
            "LienInterne": self.internal_link,
            "LienExterne": self.external_link,
        }

    def publication(self, root):
        parts, fiches = [], []
        for child in root:
            if child.tag == "Fiche":
                fiches.append(child)
                continue
            parts.append(self.dossier_list(fiches))
            fiches = []
            if child.tag in self.TOP:
                parts.append(self.blocks(child, 2))
            elif child.tag == "SousDossier":
                title = self.heading(_text(child.find("Titre")), 2)
                parts.append(title + self.dossier_list(child.findall("Fiche")))
        body = "".join(parts) + self.dossier_list(fiches)
        # Once for the whole body rather than per paragraph: this is the importer's hot path.
        return SPACE_BEFORE_STOP.sub(r"\1", SPACES.sub(" ", body))

    # blocks

    def blocks(self, element, level):
        return "".join(self.block(child, level) for child in element)

    def block(self, element, level):
        tag = element.tag
        if not isinstance(tag, str) or tag in self.SKIPPED:
            return ""
        if handler := self.block_handlers.get(tag):
            return handler(element, level)
        if tag in self.SECTIONS:
            return self.section(element, level)
        if tag in self.NOTES:
            return self.note(element, level)
        return self.blocks(element, level)

    def section(self, element, level):
        title = _text(element.find("Titre"))
        return self.heading(title, level) + self.blocks(element, level + 1)

    def heading(self, title, level):
        if not title:
            return ""
        if level <= 3:
            return f"<h{level}>{escape(title)}</h{level}>"
        return f"<p><strong>{escape(title)}</strong></p>"

    def paragraph(self, element, level=None):
        text = _tidy(self.inline(element))
        return f"<p>{text}</p>" if text else ""

    def note(self, element, level):
        label = _text(element.find("Titre")) or _("À savoir")
        rest = [child for child in element if child.tag != "Titre"]
        first = ""
        if rest and rest[0].tag == "Paragraphe":
            first = " " + _tidy(self.inline(rest.pop(0)))
        lead = f"<p><strong>{escape(label)} :</strong>{first}</p>"
        return lead + "".join(self.block(child, 99) for child in rest)

    def list(self, element, level):
        tag = "ol" if element.get("type") == "numero" else "ul"
        items = "".join(self.item(item, level) for item in element if item.tag == "Item")
        return f"<{tag}>{items}</{tag}>" if items else ""

    def item(self, element, level):
        children = [child for child in element if isinstance(child.tag, str)]
        if not children:
            content = _tidy(self.inline(element))
        elif len(children) == 1 and children[0].tag == "Paragraphe":
            content = _tidy(self.inline(children[0]))
        else:
            content = self.blocks(element, 99)
        return f"<li>{content}</li>" if content else ""

    def table(self, element, level):
        caption = _text(element.find("Titre"))
        rows = "".join(self.row(row) for row in element if row.tag == "Rangée")
        if not rows:
            return ""
        caption = f"<caption>{escape(caption)}</caption>" if caption else ""
        return f"<table>{caption}{rows}</table>"

    def row(self, element):
        cell = "th" if element.get("type") == "header" else "td"
        cells = "".join(
            f"<{cell}>{self.blocks(c, 99)}</{cell}>" for c in element if c.tag == "Cellule"
        )
        return f"<tr>{cells}</tr>"

    def online_service(self, element, level):
        url, title = safe_url(element.get("URL")), _text(element.find("Titre"))
        if not (url and title):
            return ""
        return f"<p>{link(url, escape(title))}</p>"

    def where(self, element, level):
        title = _text(element.find("Titre"))
        if not title:
            return ""
        web = element.find("RessourceWeb")
        url = safe_url(web.get("URL")) if web is not None else ""
        if url and element.find("PivotLocal") is None:
            title_html = link(url, escape(title))
        else:
            title_html = escape(title)
        label = escape(_("Où s'adresser"))
        lead = f"<p><strong>{label} :</strong> {title_html}</p>"
        details = element.find("Texte")
        return lead + (self.blocks(details, 99) if details is not None else "")

    def dossier_list(self, fiches):
        """The fiches a dossier (N…) lists, as links."""
        links = "".join(self.dossier_link(fiche) for fiche in fiches)
        return f"<ul>{links}</ul>" if links else ""

    def dossier_link(self, element):
        label = escape(_text(element))
        publication = element.get("ID", "")
        if not label:
            return ""
        if PUBLICATION_ID.match(publication):
            label = link(publication_url(publication, self.audience), label)
        return f"<li>{label}</li>"

    # inline

    def inline(self, element):
        parts = [escape(element.text or "")]
        for child in element:
            if isinstance(child.tag, str):
                handler = self.inline_handlers.get(child.tag, self.inline)
                parts.append(handler(child))
            parts.append(escape(child.tail or ""))
        return "".join(parts)

    def internal_link(self, element):
        label = self.inline(element)
        publication = element.get("LienPublication", "")
        if element.get("type") in UNLINKED_TYPES or not PUBLICATION_ID.match(publication):
            return label
        audience = AUDIENCES.get((element.get("audience") or "").lower(), self.audience)
        return link(publication_url(publication, audience), label)

    def external_link(self, element):
        label = self.inline(element)
        url = safe_url(element.get("URL"))
        return link(url, label) if url else label


def _tidy(html):
    return html.strip(WHITESPACE)
