"""INSEE's Code officiel géographique, commune file (`commune_2022.csv`) as published.

One row per commune (TYPECOM=COM), and one per commune déléguée (COMD), commune associée
(COMA) or arrondissement municipal (ARM). A COMD row may carry its parent's own code (the
chef-lieu of a commune nouvelle, « Beaumont-du-Périgord » in 24028 « Beaumontois en
Périgord »): only COM rows are collectivités, the others are recorded on their parent.
"""

from django.utils.translation import gettext as _

from communes.models import Collectivite
from communes.models.registry import insee_validator
from communes.services.registry.mergers import mark_merged
from communes.services.registry.report import CsvFormatError, RowError, record
from communes.services.registry.scope import departement_of
from communes.services.registry.writer import RegistryWriter

COG_COLUMNS = ("TYPECOM", "COM", "DEP", "LIBELLE", "COMPARENT")
SUB_TYPES = ("COMD", "COMA")


def is_cog(header):
    return set(COG_COLUMNS) <= {h.strip().upper() for h in header}


def _valid_code(code):
    try:
        insee_validator(code)
    except Exception:  # noqa: BLE001 - any refusal is the same refusal here
        return False
    return True


def _read(rows, header, report):
    """COM rows by code, and the former communes (COMD, COMA) with their parent."""
    index = {h.strip().upper(): i for i, h in enumerate(header)}
    coms, subs = {}, []
    for line, row in rows:

        def cell(name, row=row):
            i = index[name]
            return row[i].strip() if i < len(row) else ""

        typecom, code, name = cell("TYPECOM").upper(), cell("COM").upper(), cell("LIBELLE")
        if typecom == "ARM":
            report.skip(_("arrondissements municipaux (ARM), parties d'une commune"))
            continue
        if typecom not in ("COM", *SUB_TYPES):
            report.errors.append(
                RowError(line, _("TYPECOM « %(type)s » inconnu") % {"type": typecom})
            )
        elif not _valid_code(code):
            report.errors.append(RowError(line, _("code « %(code)s » invalide") % {"code": code}))
        elif not name:
            report.errors.append(RowError(line, _("LIBELLE manquant")))
        elif typecom == "COM":
            if code in coms:
                report.errors.append(
                    RowError(line, _("commune %(code)s en double") % {"code": code})
                )
            else:
                coms[code] = (line, cell("DEP").upper() or departement_of(code), name)
        else:
            parent = cell("COMPARENT").upper()
            if not _valid_code(parent):
                report.errors.append(
                    RowError(line, _("COMPARENT « %(code)s » invalide") % {"code": parent})
                )
            else:
                subs.append((line, typecom, code, name, parent))
    return coms, subs


def load_cog(rows, header, scope, report):
    coms, subs = _read(rows, header, report)
    if not scope.departements and not scope.registry_codes:
        raise CsvFormatError(
            _(
                "Le registre n'a encore aucune commune : dites quels départements charger, "
                "par exemple --departement 24 (le fichier compte %(count)s communes)."
            )
            % {"count": len(coms)}
        )
    present = {dep for _line, dep, _name in coms.values()}
    covered = present & set(scope.departements) if scope.departements else present
    report.notes.append(scope.describe())
    for dep in sorted(set(scope.departements) - present):
        report.notes.append(
            _("aucune commune du département %(dep)s dans ce fichier") % {"dep": dep}
        )

    # A commune of the registry that the file no longer has as a commune, but as a commune
    # déléguée or associée of another: a commune nouvelle was made of it.
    mergers = {
        code: (line, kind, parent)
        for line, kind, code, _name, parent in subs
        if code in scope.registry_codes and code not in coms and parent != code
    }
    kept = {code for code in coms if scope.takes(code)}
    for code, (line, _kind, parent) in list(mergers.items()):
        if parent not in coms:
            report.errors.append(
                RowError(
                    line,
                    _("%(code)s rattachée à %(parent)s, absente du fichier comme commune")
                    % {"code": code, "parent": parent},
                )
            )
            del mergers[code]
        else:
            kept.add(parent)
    if len(coms) > len(kept):
        report.skip(_("communes hors périmètre"), len(coms) - len(kept))

    delegated = {}
    for _line, kind, code, name, parent in sorted(subs, key=lambda s: (s[4], s[2], s[1])):
        if parent in kept:
            delegated.setdefault(parent, []).append({"code": code, "name": name, "type": kind})
        else:
            report.skip(_("communes déléguées ou associées hors périmètre"))

    writer = RegistryWriter(report)
    for code in sorted(kept):
        line, _dep, name = coms[code]
        record(
            report,
            line,
            lambda code=code, name=name: writer.upsert(
                {
                    "code": code,
                    "kind": Collectivite.Kind.COMMUNE,
                    "name": name,
                    "delegated_communes": delegated.get(code, []),
                    "merged_into_id": None,
                    "merged_at": None,
                }
            ),
        )
    for code, (_line, kind, parent) in sorted(mergers.items()):
        commune, successor = writer.by_code[code], writer.by_code.get(parent)
        if successor is not None:
            report.counts[mark_merged(commune, successor, kind, report)] += 1
    _absent(scope, coms, subs, covered, report)
    return report


def _absent(scope, coms, subs, covered, report):
    """Registry communes a department-complete file does not name at all: said, not touched."""
    named = set(coms) | {code for _line, _kind, code, _name, _parent in subs}
    for code in sorted(scope.registry_codes - named):
        if departement_of(code) in covered:
            report.notes.append(
                _(
                    "%(code)s absente du fichier alors que son département y est complet : "
                    "rien n'est changé"
                )
                % {"code": code}
            )
