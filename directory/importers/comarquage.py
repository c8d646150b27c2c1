"""The comarquage of service-public.fr: the DILA's "vosdroits" publications, as XML.

Each file is one publication: a fiche (F…), a theme, dossier or guided search (N…, F…), or a
form or online service (R…, a `ServiceComplementaire`). Its content becomes plain HTML
(comarquage_body); where to go, what it lists and the forms it cites are kept beside it
(comarquage_parts).
"""

import datetime
import hashlib
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.importers import comarquage_parts as parts
from directory.importers.base import Importer, Rejected, Scope
from directory.importers.comarquage_body import (
    AUDIENCES,
    PUBLICATION_ID,
    Body,
    publication_url,
    safe_url,
)
from directory.importers.comarquage_body import text as _text
from directory.models import Fiche
from directory.services.imports import FicheRecord
from parsing import safexml

__all__ = ["ComarquageImporter", "fiche_record", "publication_url", "safe_url"]

# Part of every fiche's digest: change it when the checks or the HTML change, so that the next
# import parses every file again instead of keeping what the old code made of it.
PARSER_VERSION = b"comarquage-2:"
DC = "{http://purl.org/dc/elements/1.1/}"
ROOTS = {"Publication", "ServiceComplementaire"}
MODIFIED = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
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
    if root.tag not in ROOTS:
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
    body = Body(audience)
    outline = parts.outline(root)
    fields = {
        "kind": root.get("type", ""),
        "title": title,
        "description": _text(root.find(f"{DC}description")),
        "subject": _text(root.find(f"{DC}subject")),
        "modified": _modified(root.findtext(f"{DC}date")),
        "sp_url": _sp_url(root.get("spUrl"), fiche_id, audience),
        "body_html": body.publication(root, outline),
        "pivots": parts.pivots(root),
        "contacts": parts.contacts(root, body),
        "online_services": parts.online_services(root) + parts.annexes(root),
        "related": parts.related(root),
        "outline": outline,
        "service_url": "",
        "cerfa": "",
        "provider": "",
    }
    if root.tag == "ServiceComplementaire":
        fields.update(parts.service_fields(root))
    for key, limit in FIELD_LIMITS.items():
        fields[key] = fields[key][:limit]
    return FicheRecord(fiche_id, fields, digest, audience_key(root))


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


def _sp_url(value, fiche_id, audience):
    url = safe_url(value)
    if url and len(url) <= 300:
        return url
    return publication_url(fiche_id, audience)
