"""What the sync asks Wikidata and Commons, in the shapes their APIs document."""

from django.conf import settings

from photos.services.client import Client, FetchError

PHOTO, ARMS, AERIAL = "P18", "P94", "P8592"
INSEE = "P374"


def find_item(client: Client, code: str) -> str:
    """The Wikidata item of the commune whose INSEE code is `code`, or "" when none."""
    data = client.api(
        settings.WIKIDATA_API_URL,
        action="query",
        list="search",
        srsearch=f"haswbstatement:{INSEE}={code}",
        srlimit="2",
        srnamespace="0",
    )
    hits = data.get("query", {}).get("search", [])
    if len(hits) > 1:
        raise FetchError(f"plusieurs éléments Wikidata portent le code INSEE {code}")
    return hits[0]["title"] if hits else ""


def read_files(client: Client, item: str) -> dict:
    """{property: Commons file name} for P18, P94 and P8592 (the preferred or first value)."""
    data = client.api(settings.WIKIDATA_API_URL, action="wbgetentities", ids=item, props="claims")
    entity = data.get("entities", {}).get(item)
    if not entity or "missing" in entity:
        raise FetchError(f"l'élément Wikidata {item} n'existe pas")
    files = {}
    for prop in (PHOTO, ARMS, AERIAL):
        values = [
            claim["mainsnak"].get("datavalue", {}).get("value")
            for claim in entity.get("claims", {}).get(prop, [])
            if claim.get("rank") != "deprecated" and claim.get("mainsnak", {}).get("datavalue")
        ]
        preferred = [
            claim["mainsnak"]["datavalue"]["value"]
            for claim in entity.get("claims", {}).get(prop, [])
            if claim.get("rank") == "preferred" and claim.get("mainsnak", {}).get("datavalue")
        ]
        chosen = (preferred or values or [None])[0]
        if isinstance(chosen, str) and chosen:
            files[prop] = chosen
    return files


def image_info(client: Client, file_name: str) -> dict | None:
    """imageinfo of `File:<file_name>` with a rendition about PHOTOS_RENDITION_WIDTH wide;
    None when the file does not exist (any more) on Commons."""
    data = client.api(
        settings.COMMONS_API_URL,
        action="query",
        prop="imageinfo",
        titles=f"File:{file_name}",
        iiprop="url|sha1|size|mime|extmetadata",
        iiurlwidth=str(settings.PHOTOS_RENDITION_WIDTH),
        iiextmetadatalanguage="fr",
    )
    pages = data.get("query", {}).get("pages", [])
    if isinstance(pages, dict):  # formatversion=1 shape, should a replay use it
        pages = list(pages.values())
    if not pages or pages[0].get("missing") or not pages[0].get("imageinfo"):
        return None
    return pages[0]["imageinfo"][0]
