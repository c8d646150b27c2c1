"""Where a record of the Annuaire de l'administration lives on lannuaire.service-public.fr:
its page is /<région>/<département>/<id>, both names spelt as that site spells them."""

REGIONS = {
    "auvergne-rhone-alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "bourgogne-franche-comte": "21 25 39 58 70 71 89 90",
    "bretagne": "22 29 35 56",
    "centre-val-de-loire": "18 28 36 37 41 45",
    "corse": "2A 2B",
    "grand-est": "08 10 51 52 54 55 57 67 68 88",
    "hauts-de-france": "02 59 60 62 80",
    "ile-de-france": "75 77 78 91 92 93 94 95",
    "normandie": "14 27 50 61 76",
    "nouvelle-aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "pays-de-la-loire": "44 49 53 72 85",
    "provence-alpes-cote-d-azur": "04 05 06 13 83 84",
    "guadeloupe": "971",
    "martinique": "972",
    "guyane": "973",
    "la-reunion": "974",
    "mayotte": "976",
}
DEPARTEMENTS = {
    "01": "ain", "02": "aisne", "03": "allier", "04": "alpes-de-haute-provence",
    "05": "hautes-alpes", "06": "alpes-maritimes", "07": "ardeche", "08": "ardennes",
    "09": "ariege", "10": "aube", "11": "aude", "12": "aveyron", "13": "bouches-du-rhone",
    "14": "calvados", "15": "cantal", "16": "charente", "17": "charente-maritime",
    "18": "cher", "19": "correze", "2A": "corse-du-sud", "2B": "haute-corse",
    "21": "cote-d-or", "22": "cotes-d-armor", "23": "creuse", "24": "dordogne",
    "25": "doubs", "26": "drome", "27": "eure", "28": "eure-et-loir", "29": "finistere",
    "30": "gard", "31": "haute-garonne", "32": "gers", "33": "gironde", "34": "herault",
    "35": "ille-et-vilaine", "36": "indre", "37": "indre-et-loire", "38": "isere",
    "39": "jura", "40": "landes", "41": "loir-et-cher", "42": "loire", "43": "haute-loire",
    "44": "loire-atlantique", "45": "loiret", "46": "lot", "47": "lot-et-garonne",
    "48": "lozere", "49": "maine-et-loire", "50": "manche", "51": "marne",
    "52": "haute-marne", "53": "mayenne", "54": "meurthe-et-moselle", "55": "meuse",
    "56": "morbihan", "57": "moselle", "58": "nievre", "59": "nord", "60": "oise",
    "61": "orne", "62": "pas-de-calais", "63": "puy-de-dome", "64": "pyrenees-atlantiques",
    "65": "hautes-pyrenees", "66": "pyrenees-orientales", "67": "bas-rhin", "68": "haut-rhin",
    "69": "rhone", "70": "haute-saone", "71": "saone-et-loire", "72": "sarthe",
    "73": "savoie", "74": "haute-savoie", "75": "paris", "76": "seine-maritime",
    "77": "seine-et-marne", "78": "yvelines", "79": "deux-sevres", "80": "somme",
    "81": "tarn", "82": "tarn-et-garonne", "83": "var", "84": "vaucluse", "85": "vendee",
    "86": "vienne", "87": "haute-vienne", "88": "vosges", "89": "yonne",
    "90": "territoire-de-belfort", "91": "essonne", "92": "hauts-de-seine",
    "93": "seine-saint-denis", "94": "val-de-marne", "95": "val-d-oise",
    "971": "guadeloupe", "972": "martinique", "973": "guyane", "974": "la-reunion",
    "976": "mayotte",
}  # fmt: skip
REGION_OF = {code: region for region, codes in REGIONS.items() for code in codes.split()}
BASE = "https://lannuaire.service-public.fr"


def departement_of(insee_code):
    """The département of a commune's INSEE code: 24 for 24037, 2A for 2A004, 974 for 97411."""
    code = str(insee_code or "").strip().upper()
    if len(code) != 5:
        return ""
    return code[:3] if code.startswith("97") else code[:2]


def page_url(record_id, insee_code):
    """The record's page on lannuaire.service-public.fr, or "" outside a known département."""
    departement = departement_of(insee_code)
    if departement not in DEPARTEMENTS or not record_id:
        return ""
    return f"{BASE}/{REGION_OF[departement]}/{DEPARTEMENTS[departement]}/{record_id}"
