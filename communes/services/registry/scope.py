"""Which communes an INSEE file may touch: the departments asked for, or the registry's."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from communes.models import Collectivite
from communes.services.registry.report import CsvFormatError

DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|97\d)$")


def parse_departements(values) -> tuple[str, ...]:
    """`--departement 24 --departement 33,47` → ("24", "33", "47"); "1" is "01"."""
    found = []
    for value in values or ():
        for part in str(value).split(","):
            part = part.strip().upper()
            if not part:
                continue
            if part.isdigit() and len(part) == 1:
                part = part.zfill(2)
            if not DEPARTEMENT.match(part) or part == "20":
                raise CsvFormatError(
                    _("Département « %(dep)s » inconnu : 2 chiffres (24), 2A, 2B ou 97x.")
                    % {"dep": part}
                )
            if part not in found:
                found.append(part)
    return tuple(found)


def departement_of(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def insee_code(dep: str, com: str) -> str:
    """CODDEP + CODCOM as INSEE spells them in its tables, where a spreadsheet may have
    dropped the leading zeros: ("1", "4") → "01004", ("971", "1") → "97101". Some tables
    give an overseas CODCOM with the department's last digit: ("971", "101") → "97101"."""
    dep, com = dep.strip().upper(), com.strip()
    if dep.isdigit() and len(dep) < 2:
        dep = dep.zfill(2)
    if len(dep) == 3 and len(com) == 3 and com[0] == dep[2]:
        com = com[1:]
    return dep + com.zfill(5 - len(dep))


@dataclass
class Scope:
    """What one INSEE file updates: existing communes of the registry only (the default),
    or every commune of the departments asked for."""

    departements: tuple[str, ...]
    registry_codes: set

    @classmethod
    def build(cls, departements):
        codes = set(
            Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE).values_list(
                "code", flat=True
            )
        )
        return cls(parse_departements(departements), codes)

    def takes(self, code):
        if self.departements:
            return departement_of(code) in self.departements
        return code in self.registry_codes

    def describe(self):
        if self.departements:
            return _("périmètre : département(s) %(deps)s") % {"deps": ", ".join(self.departements)}
        return _(
            "périmètre : les %(count)s communes déjà au registre (sans --departement, "
            "aucune commune n'est ajoutée)"
        ) % {"count": len(self.registry_codes)}
