"""The HTML of a service-public.fr publication, made here from escaped text and a handful of
tags (h2, h3, p, ul, ol, li, table, caption, strong, a href), so what is stored can be shown
as it is; links to other publications point at service-public.fr."""

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

SP_BASE = "https://www.service-public.fr"
AUDIENCES = {
    "particuliers": "particuliers",
    "professionnels": "professionnels-entreprises",
    "associations": "associations",
}
PUBLICATION_ID = re.compile(r"^[A-Z]{1,3}\d{1,10}(-\d{1,4})?$")
# XML whitespace only: the no-break spaces of French typography stay.
WHITESPACE = " \t\r\n"
SPACES = re.compile(r"[ \t\r\n]+")
SPACE_BEFORE_STOP = re.compile(r" ([.,)])")
# Links to these are glossary entries and abbreviations, not pages of their own.
UNLINKED_TYPES = {"Sigle", "Acronyme", "Abréviation", "Définition de glossaire"}


def text(element):
    return SPACES.sub(" ", "".join(element.itertext())).strip() if element is not None else ""


def title_of(element):
    """A listed publication's label: its Titre when it has one (a Dossier of "Voir aussi"
    also names its theme), else its own text."""
    return text(element.find("Titre")) or text(element)


def safe_url(value):
    url = (value or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def publication_url(publication_id, audience="particuliers"):
    return f"{SP_BASE}/{audience}/vosdroits/{publication_id}"


def escape(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value):
    # No numeric references (&#…;): the render-time rich text check treats them as suspect.
    return escape(value).replace('"', "&quot;")


def link(url, label_html):
    return f'<a href="{escape_attribute(url)}">{label_html}</a>'


def tidy(html):
    return html.strip(WHITESPACE)


class Body:
    """HTML of a publication's content. Headings are h2 then h3 from the top of the fiche;
    deeper titles become bold paragraphs, so the page's outline never skips a level."""

    # Anything else (Texte, BlocCas, ListeSituations, FragmentConditionne…) is a container.
    SECTIONS = {"Situation", "Chapitre", "SousChapitre", "Cas"}
    NOTES = {"ASavoir", "Attention", "ANoter"}
    SKIPPED = {"Titre", "Condition", "Source", "RessourceWeb", "PivotLocal", "Resume"}
    TOP = {"Introduction", "Texte", "ListeSituations"}

    def __init__(self, audience="particuliers"):
        self.audience = audience
        # Looked up once: a publication has hundreds of notes and contacts.
        self.where_label = escape(_("Où s'adresser"))
        self.note_label = _("À savoir")
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

    def publication(self, root, outline=()):
        """The publication's own text, its guided search, then what it lists (`outline`)."""
        parts = []
        for child in root:
            if child.tag in self.TOP:
                parts.append(self.blocks(child, 2))
            elif child.tag == "Problematiques":
                parts.append(self.guided_search(child))
        parts.extend(self.group(group) for group in outline)
        return self.finish("".join(parts))

    def finish(self, html):
        # Once for the whole body rather than per paragraph: this is the importer's hot path.
        return SPACE_BEFORE_STOP.sub(r"\1", SPACES.sub(" ", html))

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
        return self.heading(text(element.find("Titre")), level) + self.blocks(element, level + 1)

    def heading(self, title, level):
        if not title:
            return ""
        if level <= 3:
            return f"<h{level}>{escape(title)}</h{level}>"
        return f"<p><strong>{escape(title)}</strong></p>"

    def paragraph(self, element, level=None):
        content = tidy(self.inline(element))
        return f"<p>{content}</p>" if content else ""

    def note(self, element, level):
        label = text(element.find("Titre")) or self.note_label
        rest = [child for child in element if child.tag != "Titre"]
        first = ""
        if rest and rest[0].tag == "Paragraphe":
            first = " " + tidy(self.inline(rest.pop(0)))
        lead = f"<p><strong>{escape(label)} :</strong>{first}</p>"
        return lead + "".join(self.block(child, 99) for child in rest)

    def list(self, element, level):
        tag = "ol" if element.get("type") == "numero" else "ul"
        items = "".join(self.item(item, level) for item in element if item.tag == "Item")
        return f"<{tag}>{items}</{tag}>" if items else ""

    def item(self, element, level):
        children = [child for child in element if isinstance(child.tag, str)]
        if not children:
            content = tidy(self.inline(element))
        elif len(children) == 1 and children[0].tag == "Paragraphe":
            content = tidy(self.inline(children[0]))
        else:
            content = self.blocks(element, 99)
        return f"<li>{content}</li>" if content else ""

    def table(self, element, level):
        caption = text(element.find("Titre"))
        rows = "".join(self.row(row) for row in element if row.tag == "Rangée")
        if not rows:
            return ""
        caption = f"<caption>{escape(caption)}</caption>" if caption else ""
        # The summary says what the table shows, for those who cannot see its grid: visible
        # text before it, as the DILA's own site does for screen readers.
        summary = element.find("Resume")
        summary = self.blocks(summary, 99) if summary is not None else ""
        return f"{summary}<table>{caption}{rows}</table>"

    def row(self, element):
        cell = "th" if element.get("type") == "header" else "td"
        cells = "".join(
            f"<{cell}>{self.blocks(c, 99)}</{cell}>" for c in element if c.tag == "Cellule"
        )
        return f"<tr>{cells}</tr>"

    def online_service(self, element, level):
        url, title = safe_url(element.get("URL")), text(element.find("Titre"))
        if not (url and title):
            return ""
        description = element.find("Introduction")
        description = self.blocks(description, 99) if description is not None else ""
        return f"<p>{link(url, escape(title))}</p>{description}"

    def where(self, element, level):
        title = text(element.find("Titre"))
        if not title:
            return ""
        web = element.find("RessourceWeb")
        url = safe_url(web.get("URL")) if web is not None else ""
        if url and element.find("PivotLocal") is None:
            title_html = link(url, escape(title))
        else:
            title_html = escape(title)
        lead = f"<p><strong>{self.where_label} :</strong> {title_html}</p>"
        return lead + self.contact_details(element)

    def contact_details(self, element):
        """A contact's complement and text (postal address, phone, hours) as HTML."""
        complement = text(element.find("Complement"))
        html = f"<p>{escape(complement)}</p>" if complement else ""
        details = element.find("Texte")
        return html + (self.blocks(details, 99) if details is not None else "")

    # what a theme, a dossier or a guided search lists

    def group(self, group):
        links = "".join(self.listed(item) for item in group["items"])
        if not links:
            return ""
        return self.heading(group["title"], 2) + f"<ul>{links}</ul>"

    def listed(self, item):
        label = escape(item["title"])
        if not label:
            return ""
        if PUBLICATION_ID.match(item["id"]):
            label = link(publication_url(item["id"], self.audience), label)
        return f"<li>{label}</li>"

    def guided_search(self, element):
        """A « Recherche guidée »: each question, and the answers it leads to, as nested
        lists whose leaves link to the publication that answers."""
        parts = []
        for problem in element.iter("Problematique"):
            parts.append(self.heading(text(problem.find("Titre")), 2))
            parts.append(self.branches(problem))
        return "".join(parts)

    def branches(self, element):
        answer = self.answer(element)
        items = "".join(
            f"<li>{self.branch_label(b)}{self.branches(b)}</li>"
            for b in element
            if b.tag == "Branche"
        )
        return answer + (f"<ul>{items}</ul>" if items else "")

    def branch_label(self, element):
        label = escape(text(element.find("Titre")))
        target = element.find("LienInterne")
        if target is not None and PUBLICATION_ID.match(target.get("LienPublication", "")):
            label = self.internal_link(target, label)
        return label

    def answer(self, element):
        """A question's own link (when it has no branches) and its help text."""
        help_text = element.find("Aide")
        html = self.blocks(help_text, 99) if help_text is not None else ""
        target = element.find("LienInterne")
        if target is not None and element.tag == "Problematique":
            label = escape(target.get("type") or _("Voir la réponse"))
            html += f"<p>{self.internal_link(target, label)}</p>"
        return html

    # inline

    def inline(self, element):
        parts = [escape(element.text or "")]
        for child in element:
            if isinstance(child.tag, str):
                handler = self.inline_handlers.get(child.tag, self.inline)
                parts.append(handler(child))
            parts.append(escape(child.tail or ""))
        return "".join(parts)

    def internal_link(self, element, label=None):
        label = self.inline(element) if label is None else label
        publication = element.get("LienPublication", "")
        if element.get("type") in UNLINKED_TYPES or not PUBLICATION_ID.match(publication):
            return label
        audience = AUDIENCES.get((element.get("audience") or "").lower(), self.audience)
        return link(publication_url(publication, audience), label)

    def external_link(self, element):
        label = self.inline(element)
        url = safe_url(element.get("URL"))
        return link(url, label) if url else label
