"""XML from outside, parsed so that it can do nothing but describe data.

No DTD of any kind is accepted, internal or external: that closes entity expansion (billion
laughs), external entities (XXE, file or network reads) and DTD fetching in one rule, since
the formats we import never need one. The bytes are decoded by us first, so that a file in
another encoding than it declares is refused with a message saying so, not read as mojibake.
"""

import codecs
import re

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree

from parsing.errors import ImportFileError

MAX_BYTES = 5 * 1024 * 1024  # one document; a fiche is 5 to 200 KB
MAX_DEPTH = 64  # fiches nest about 20 deep; the parser itself stops at 256

DECLARATION = re.compile(rb"^<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Anywhere, not only before the root: scanning the whole text cannot be fooled by a comment
# that looks like the root element.
MARKUP_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
RAW_MARKUP_DECLARATION = re.compile(MARKUP_DECLARATION.pattern.encode(), re.IGNORECASE)
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse(data: bytes, name: str, max_bytes=None):
    """The root element of `data`, or ImportFileError naming `name`."""
    limit = max_bytes or MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(
            _("%(name)s dépasse la taille permise pour un document XML (%(limit)s).")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    _refuse_declarations(data, decode(data, name), name)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ImportFileError(
            _("%(name)s n'est pas un XML bien formé (fichier tronqué ou abîmé ?) : %(error)s")
            % {"name": name, "error": exc}
        ) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise ImportFileError(_("%s est refusé : il déclare une DTD.") % name)
    if too_deep(root):
        raise ImportFileError(
            _("%(name)s est refusé : ses éléments sont imbriqués sur plus de %(depth)d niveaux.")
            % {"name": name, "depth": MAX_DEPTH}
        )
    return root


def _refuse_declarations(data, text, name):
    # The raw bytes too: a false encoding declaration must not hide a DOCTYPE from the scan.
    found = MARKUP_DECLARATION.search(text) or RAW_MARKUP_DECLARATION.search(data)
    if found is None:
        return
    what = found.group(1)
    what = (what.decode("ascii") if isinstance(what, bytes) else what).upper()
    raise ImportFileError(
        _(
            "%(name)s est refusé : il contient une déclaration <!%(what)s>. Les documents "
            "avec DTD ou entités ne sont pas acceptés (risque d'attaque XXE)."
        )
        % {"name": name, "what": what}
    )


def declared_encoding(data: bytes):
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    found = DECLARATION.match(data[:200])
    return found.group(1).decode("ascii").lower() if found else "utf-8"


def decode(data: bytes, name: str) -> str:
    encoding = declared_encoding(data)
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ImportFileError(
            _("%(name)s déclare un encodage inconnu : %(encoding)s.")
            % {"name": name, "encoding": encoding}
        ) from None
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_wrong_encoding(data, name, encoding, exc)) from None


def _wrong_encoding(data, name, encoding, exc):
    line = data.count(b"\n", 0, exc.start) + 1
    message = _(
        "%(name)s n'est pas encodé en %(encoding)s comme il le déclare "
        "(octet invalide 0x%(byte)02X, ligne %(line)d)."
    ) % {"name": name, "encoding": encoding.upper(), "byte": data[exc.start], "line": line}
    if codecs.lookup(encoding).name == "utf-8" and _looks_latin1(data):
        message += " " + _(
            "Il semble encodé en Latin-1 (ISO-8859-1 ou Windows-1252) : réenregistrez-le en "
            'UTF-8, ou déclarez encoding="ISO-8859-1".'
        )
    return message


def _looks_latin1(data):
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return any(c in text for c in "éèàçêùôâîÉÈÀÇ")


def too_deep(root):
    # One C-level walk of the tree, instead of a Python loop over every element.
    return bool(root.xpath("/" + "/".join(["*"] * (MAX_DEPTH + 1))))
