"""Registries of any size, in the shapes of real ones.

160: the Pays as shipped (communes/data/). Larger: the Pays' portal, then the 503 communes of
Dordogne (bench/data/dordogne-communes.json: real names, postcodes and EPCIs of 10 to 60
communes) copied once per département, as many copies as the size needs. A copy keeps the
names (France has many communes of the same name; their slugs get the INSEE code, as the
registry does for any duplicate) and takes its département's number for codes and postcodes.
"""

import json
from pathlib import Path

DORDOGNE_FILE = Path(__file__).resolve().parent.parent / "data" / "dordogne-communes.json"
SHIPPED = 160
# Metropolitan départements, in order; Corsica has letters in its codes.
DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20]


def rows(size):
    """(Pays, EPCIs, communes) as RegistryWriter rows; size counts every collectivité."""
    from communes.models import Collectivite
    from communes.services.registry.shipped import PAYS_CODE

    source = json.loads(DORDOGNE_FILE.read_text(encoding="utf-8"))
    pays = {"code": PAYS_CODE, "kind": Collectivite.Kind.PAYS, "name": "Pays de France"}
    pays["slug"] = "france"
    epcis, communes = {}, []
    budget = size - 1
    for copy, departement in enumerate(DEPARTEMENTS):
        for commune in source:
            if budget <= 0:
                break
            siren = commune.get("epci_siren") or ""
            epci_code = f"9{copy:02d}{siren[3:]}" if siren else ""
            if epci_code and epci_code not in epcis:
                if budget < 2:  # no room for the EPCI and a member
                    budget = 0
                    break
                suffix = "" if copy == 0 else f" ({departement})"
                epcis[epci_code] = {
                    "code": epci_code,
                    "kind": Collectivite.Kind.EPCI,
                    "name": commune["epci_nom"] + suffix,
                }
                budget -= 1
            number = commune["code_insee"][2:]
            communes.append(
                (
                    epci_code,
                    {
                        "code": f"{departement}{number}",
                        "kind": Collectivite.Kind.COMMUNE,
                        "name": commune["nom"],
                        "postcodes": [f"{departement}{p[2:]}" for p in commune["codes_postaux"]],
                        "population": commune.get("population"),
                        "latitude": commune.get("lat"),
                        "longitude": commune.get("lon"),
                    },
                )
            )
            budget -= 1
        if budget <= 0:
            break
    return pays, list(epcis.values()), communes


def load(size):
    """Load the registry of `size` collectivités; returns how many there are."""
    from django.conf import settings
    from django.db import transaction

    from communes.models import Collectivite
    from communes.services.registry.shipped import load_registry_file
    from communes.services.registry.writer import RegistryWriter

    if size == SHIPPED:
        with transaction.atomic():
            load_registry_file(settings.BASTIDE_REGISTRY_FILE)
        return Collectivite.objects.count()
    pays, epcis, communes = rows(size)
    with transaction.atomic():
        writer = RegistryWriter()
        writer.upsert(pays)
        for epci in epcis:
            writer.upsert(epci)
        by_code = {c.code: c.pk for c in writer.by_code.values()}
        for epci_code, commune in communes:
            writer.upsert(commune | {"epci_id": by_code.get(epci_code)})
    return Collectivite.objects.count()
