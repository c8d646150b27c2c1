"""Writes the demo's recorded responses (photos/demo/*.json) from the registry's communes.

Run once, by hand, when the registry changes: `python photos/demo/build.py`. The Wikidata ids
are above Q9000000000, far beyond any real item, so that they can never be taken for one.
Two communes have no photo (missing), one a coat of arms only (an SVG, whose rendition is a
PNG), one an aerial view only; every fifth also has a coat of arms beside its photo.
"""

import json
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REGISTRY = HERE.parent.parent / "communes" / "data" / "pays-grand-bergeracois.json"
MISSING = {"24024", "24029"}  # Bardou, Beaupouyet
ARMS_ONLY = "24043"  # Biron
AERIAL_ONLY = "24034"  # Beleymas
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def item(code):
    return f"Q9{int(code):09d}"


def claim(prop, value):
    return {
        "mainsnak": {
            "snaktype": "value",
            "property": prop,
            "datavalue": {"value": value, "type": "string"},
            "datatype": "commonsMedia",
        },
        "type": "statement",
        "rank": "normal",
    }


def page(file_name, commune, what):
    underscored = quote(file_name.replace(" ", "_"))
    info = {
        "url": f"{{replay}}/upload/{underscored}",
        "thumburl": f"{{replay}}/upload/{underscored}",
        "descriptionurl": f"https://commons.wikimedia.org/wiki/File:{underscored}",
        "mime": "image/jpeg",
        "extmetadata": {
            "ImageDescription": {
                "value": f"Image de démonstration : {what} portant le nom de {commune}. "
                "Ce n'est pas une photo de la commune.",
                "source": "commons-desc-page",
            },
            "Artist": {"value": "Image de démonstration (Bastide)", "source": "commons-desc-page"},
            "LicenseShortName": {"value": "CC0", "source": "commons-desc-page"},
            "License": {"value": "cc0", "source": "commons-templates"},
            "LicenseUrl": {"value": CC0, "source": "commons-desc-page"},
            "UsageTerms": {"value": "Creative Commons Zero", "source": "commons-desc-page"},
            "AttributionRequired": {"value": "false", "source": "commons-desc-page"},
            "Copyrighted": {"value": "False", "source": "commons-desc-page"},
        },
    }
    if file_name.endswith(".svg"):
        # The SVG itself is never served: its sha1 and size are recorded, its rendition drawn.
        info.update(
            mime="image/svg+xml",
            thumburl=f"{{replay}}/upload/{underscored}.png",
            sha1="5d1f2ea0c0de0000000000000000000000000000",
            size=2048,
            width=300,
            height=360,
        )
    return {"ns": 6, "title": f"File:{file_name}", "imagerepository": "local", "imageinfo": [info]}


def main():
    communes = json.loads(REGISTRY.read_text(encoding="utf-8"))["communes"]
    entities, searches, pages = {}, {}, {}
    for position, commune in enumerate(sorted(communes, key=lambda c: c["code_insee"])):
        code, name = commune["code_insee"], commune["nom"]
        qid = item(code)
        searches[code] = [qid]
        claims = {"P374": [claim("P374", code)]}
        photo, arms = f"Bastide demo - {name}.jpg", f"Blason demo - {name}.svg"
        if code == ARMS_ONLY or (code not in MISSING and position % 5 == 0):
            claims["P94"] = [claim("P94", arms)]
            pages[f"File:{arms}"] = page(arms, name, "un blason")
        if code == AERIAL_ONLY:
            claims["P8592"] = [claim("P8592", photo)]
        elif code not in MISSING and code != ARMS_ONLY:
            claims["P18"] = [claim("P18", photo)]
        if "P18" in claims or "P8592" in claims:
            pages[f"File:{photo}"] = page(photo, name, "un paysage en dégradé")
        entities[qid] = {"type": "item", "id": qid, "claims": claims}

    def write(name, data):
        lines = ",\n".join(
            f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data
        )
        (HERE / name).write_text("{\n" + lines + "\n}\n", encoding="utf-8")

    (HERE / "wbgetentities.json").write_text(
        '{"entities": {\n'
        + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(entities.items()))
        + "\n}}\n",
        encoding="utf-8",
    )
    write("search.json", sorted(searches.items()))
    write("imageinfo.json", sorted(pages.items()))


if __name__ == "__main__":
    main()
