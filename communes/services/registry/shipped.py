"""The Pays' registry as shipped with Bastide (communes/data/*.json)."""

import json
from pathlib import Path

from django.utils.text import slugify

from communes.models import Collectivite
from communes.services.registry.report import RegistryReport, record
from communes.services.registry.writer import RegistryWriter

PAYS_CODE = "PAYS"


def load_registry_file(path: Path) -> RegistryReport:
    """The Pays' registry as shipped (communes/data/*.json)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    report = RegistryReport()
    upsert = RegistryWriter(report).upsert
    record(
        report,
        0,
        lambda: upsert(
            {
                "code": PAYS_CODE,
                "kind": Collectivite.Kind.PAYS,
                "name": data["pays"]["nom"],
                "slug": slugify(
                    data["pays"]["nom"].removeprefix("Pays du ").removeprefix("Pays de ")
                ),
            }
        ),
    )
    for i, epci in enumerate(data["epci"], start=1):
        record(
            report,
            i,
            lambda epci=epci: upsert(
                {
                    "code": epci["siren"],
                    "kind": Collectivite.Kind.EPCI,
                    "name": epci["nom"],
                    "population": epci.get("population"),
                }
            ),
        )
    epcis = dict(Collectivite.objects.filter(kind=Collectivite.Kind.EPCI).values_list("code", "pk"))
    for i, commune in enumerate(data["communes"], start=1):
        outside = commune.get("epci_hors_pays", False)
        record(
            report,
            i,
            lambda commune=commune, outside=outside: upsert(
                {
                    "code": commune["code_insee"],
                    "kind": Collectivite.Kind.COMMUNE,
                    "name": commune["nom"],
                    "postcodes": list(commune.get("codes_postaux", [])),
                    "population": commune.get("population"),
                    "epci_id": None if outside else epcis.get(commune.get("epci_siren")),
                    "outside_epci_name": commune.get("epci_nom", "") if outside else "",
                    "latitude": commune.get("lat"),
                    "longitude": commune.get("lon"),
                }
            ),
        )
    return report
