"""What a service-public.fr publication says besides its text: where to go, what it lists,
the forms and online services it cites, and (for an R publication) the service itself."""

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.importers.comarquage_body import PUBLICATION_ID, safe_url, text, title_of

PIVOT_CHARS = re.compile(r"[^a-z0-9_-]+")
CERFA = re.compile(r"^[0-9A-Za-z*/ .-]{1,40}$")
# Elements naming another publication in a theme's, a dossier's or a guided search's lists.
LISTED = {"Fiche", "Dossier", "QuestionReponse", "CommentFaireSi", "RechercheGuidee", "FicheLiee"}
LIST_TITLES = {
    "QuestionReponse": gettext_lazy("Questions ? Réponses !"),
    "CommentFaireSi": gettext_lazy("Comment faire si…"),
    "RechercheGuidee": gettext_lazy("Recherche guidée"),
    "FicheLiee": gettext_lazy("Fiches liées"),
}
GUIDED_SEARCH = "Recherche guidée"
# What a fiche cites that may be an R publication (a form, an online service…).
CITING = (("ServiceEnLigne", "ID"), ("LienInterne", "LienPublication"), ("Reference", "ID"))


def pivot_code(value):
    """The Annuaire's type_service_local code a PivotLocal names. A few are written as
    words (« Sécurité sociale des indépendants »): made a code the same way, so that they
    are counted in the report rather than lost."""
    value = unicodedata.normalize("NFKD", (value or "").strip().lower())
    value = "".join(c for c in value if not unicodedata.combining(c))
    return PIVOT_CHARS.sub("_", value).strip("_")[:60]


def pivots(root):
    codes = (pivot_code(p.text) for p in root.iter("PivotLocal"))
    return list(dict.fromkeys(code for code in codes if code))


def contacts(root, body):
    """Every « Où s'adresser » of the publication, once each, in order.

    Local ones (a PivotLocal) keep their code: the directory resolves them to the nearest
    service. National ones (a ministry, a contact centre, a web site) are what the reader is
    told: their title, web link, complement and text (address, phone, hours) as HTML."""
    found = {}
    for element in root.iter("OuSAdresser"):
        title = text(element.find("Titre"))
        if not title:
            continue
        key = element.get("ID") or title
        if key in found:
            continue
        web = element.find("RessourceWeb")
        source = element.find("Source")
        found[key] = {
            "id": (element.get("ID") or "")[:20],
            "kind": (element.get("type") or "")[:60],
            "title": title[:300],
            "pivot": pivot_code(element.findtext("PivotLocal")),
            "url": safe_url(web.get("URL")) if web is not None else "",
            "source": text(source)[:200],
            "html": body.finish(body.contact_details(element)),
        }
    return list(found.values())


def online_services(root):
    services = {}
    for service in root.iter("ServiceEnLigne"):
        url, title = safe_url(service.get("URL")), text(service.find("Titre"))
        if url and title:
            intro = service.find("Introduction")
            services.setdefault(
                url,
                {
                    "id": (service.get("ID") or "")[:20],
                    "kind": (service.get("type") or "")[:60],
                    "title": title[:300],
                    "url": url,
                    "cerfa": cerfa(service.get("numerocerfa")),
                    "description": text(intro)[:1000],
                },
            )
    return list(services.values())


def related(root):
    """The R publications the fiche cites, in order, once each. Which of them are forms or
    online services is known only once they are imported: the page looks them up."""
    found = []
    for tag, attribute in CITING:
        for element in root.iter(tag):
            publication = (element.get(attribute) or "").strip()
            if publication.startswith("R") and PUBLICATION_ID.match(publication):
                found.append(publication)
    return list(dict.fromkeys(found))


def outline(root):
    """What a theme, a dossier or a guided search lists, and the related publications a fiche
    names (questions-réponses, « Voir aussi »): [{id, title, items: [{id, title}]}], sub-themes
    and sub-dossiers as titled groups, loose entries grouped by kind."""
    groups, loose = [], {}
    for child in root:
        tag = child.tag
        if tag in ("SousTheme", "SousDossier"):
            groups.append(_group(child, text(child.find("Titre"))))
        elif tag == "DossierPere" and root.get("type") == GUIDED_SEARCH:
            # A guided search is the entry of its dossier: its lists are its own. In a fiche
            # the parent dossier is only the way back to the site's navigation.
            groups.extend(_group(sub, text(sub.find("Titre"))) for sub in child.iter("SousDossier"))
            if child.find("Fiche") is not None:
                groups.append(_group(child, text(child.find("Titre"))))
        elif tag == "VoirAussi":
            groups.append(_group(child, _("Voir aussi")))
        elif tag in LISTED:
            loose.setdefault(tag, []).append(_item(child))
    for tag, items in loose.items():
        title = str(LIST_TITLES.get(tag, ""))
        groups.append({"id": "", "title": title, "items": items})
    return [group for group in groups if group["items"]]


def _group(element, title):
    items = [_item(child) for child in element if child.tag in LISTED]
    return {"id": (element.get("ID") or "")[:20], "title": title[:300], "items": items}


def _item(element):
    return {"id": (element.get("ID") or "")[:20], "title": title_of(element)[:300]}


def cerfa(value):
    value = (value or "").strip()
    return value if CERFA.match(value) else ""


def service_fields(root):
    """An R publication (ServiceComplementaire): the form or online service it describes."""
    web = root.find("LienWeb")
    url = safe_url(web.get("URL")) if web is not None else ""
    provider = text(web.find("Source")) if web is not None else ""
    return {
        "service_url": url if len(url) <= 500 else "",
        "cerfa": cerfa(root.findtext("NumeroCerfa")),
        "provider": (provider or text(root.find("Source")))[:200],
    }


def annexes(root):
    """The forms that come with an R publication's main one (a « fiche B »…)."""
    found = []
    for annex in root.iter("ServiceEnLigneAnnexe"):
        web = annex.find("LienWeb")
        url = safe_url(web.get("URL")) if web is not None else ""
        title = text(annex.find("Titre"))
        if url and title:
            found.append(
                {
                    "id": "",
                    "kind": (annex.get("type") or "")[:60],
                    "title": title[:300],
                    "url": url,
                    "cerfa": cerfa(annex.get("numerocerfa")),
                    "description": text(annex.find("Texte"))[:1000],
                }
            )
    return found
