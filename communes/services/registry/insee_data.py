"""Two INSEE tables that complete existing communes, never create one.

- Legal populations (`donnees_communes.csv`, `;`, CRLF): CODDEP;CODCOM;…;PMUN;PCAP;PTOT.
  The population kept is PMUN, the « population municipale », which is the one INSEE and
  the shipped registry quote; PCAP and PTOT are left out.
- Commune → EPCI composition (`code_commune,code_epci,libelle_geo`): the commune's EPCI by
  SIREN; an EPCI that is not in the registry is kept by name as « EPCI hors Pays ».
"""

import re

from django.utils.translation import gettext as _

from communes.models import Collectivite
from communes.services.registry.report import RowError, record
from communes.services.registry.scope import departement_of, insee_code
from communes.services.registry.writer import RegistryWriter
from parsing.text import name_key

POPULATION_COLUMNS = ("CODDEP", "CODCOM", "PMUN")
EPCI_COLUMNS = ("code_commune", "code_epci", "libelle_geo")
SIREN = re.compile(r"^\d{9}$")
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def is_populations(header):
    return set(POPULATION_COLUMNS) <= {h.strip().upper() for h in header}


def is_epci_composition(header):
    return set(EPCI_COLUMNS) <= {h.strip().lower() for h in header}


def _cells(header, upper):
    index = {(h.strip().upper() if upper else h.strip().lower()): i for i, h in enumerate(header)}

    def cell(row, name):
        i = index[name]
        return row[i].strip() if i < len(row) else ""

    return cell


def _existing(scope, code, report):
    """Only communes of the registry are completed; the scope narrows them further."""
    if code not in scope.registry_codes:
        report.skip(_("communes absentes du registre"))
        return False
    if scope.departements and departement_of(code) not in scope.departements:
        report.skip(_("communes hors des départements demandés"))
        return False
    return True


def _start(scope, report):
    report.notes.append(
        _("seules les communes déjà au registre sont complétées (%(count)s)")
        % {"count": len(scope.registry_codes)}
    )
    return RegistryWriter(report)


def load_populations(rows, header, scope, report):
    cell = _cells(header, upper=True)
    writer = _start(scope, report)
    seen = set()
    for line, row in rows:
        code = insee_code(cell(row, "CODDEP"), cell(row, "CODCOM"))
        raw = cell(row, "PMUN").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        if not INSEE.match(code):
            report.errors.append(RowError(line, _("code « %(code)s » invalide") % {"code": code}))
            continue
        if not raw.isdigit():
            report.errors.append(
                RowError(line, _("PMUN « %(value)s » n'est pas un nombre") % {"value": raw})
            )
            continue
        if code in seen:
            report.errors.append(RowError(line, _("commune %(code)s en double") % {"code": code}))
            continue
        seen.add(code)
        if _existing(scope, code, report):
            commune = writer.by_code[code]
            record(
                report,
                line,
                lambda commune=commune, raw=raw: writer.upsert(
                    {"code": commune.code, "name": commune.name, "population": int(raw)}
                ),
            )
    return report


def load_epci_composition(rows, header, scope, report):
    cell = _cells(header, upper=False)
    writer = _start(scope, report)
    epcis = {c.code: c for c in writer.by_code.values() if c.kind == Collectivite.Kind.EPCI}
    seen = set()
    for line, row in rows:
        code, siren, label = (
            cell(row, "code_commune").upper(),
            cell(row, "code_epci"),
            cell(row, "libelle_geo"),
        )
        if not INSEE.match(code):
            report.errors.append(RowError(line, _("code « %(code)s » invalide") % {"code": code}))
            continue
        if not SIREN.match(siren):
            report.errors.append(
                RowError(line, _("SIREN d'EPCI « %(siren)s » invalide") % {"siren": siren})
            )
            continue
        if code in seen:
            report.errors.append(RowError(line, _("commune %(code)s en double") % {"code": code}))
            continue
        seen.add(code)
        if _existing(scope, code, report):
            commune = writer.by_code[code]
            epci = epcis.get(siren)
            outside = ""
            if epci is None:
                # This file spells names without accents: a name we have that reads the
                # same is kept as it is.
                same = name_key(commune.outside_epci_name) == name_key(label)
                outside = commune.outside_epci_name if same else label
            record(
                report,
                line,
                lambda commune=commune, epci=epci, outside=outside: writer.upsert(
                    {
                        "code": commune.code,
                        "name": commune.name,
                        "epci_id": epci.pk if epci else None,
                        "outside_epci_name": outside,
                    }
                ),
            )
    return report
