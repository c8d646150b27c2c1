"""A password that spells a collectivité's name is among the first an attacker tries."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_NAME_LENGTH = 4  # shorter names would refuse ordinary words


def _letters(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


class CollectiviteNameValidator:
    """Refuses a password containing the name of a collectivité of the registry (accents,
    case, spaces and hyphens ignored): "Bergerac2026!" names the place it protects."""

    def validate(self, password, user=None):
        from communes.models import Collectivite

        plain = _letters(password)
        for name in Collectivite.objects.values_list("name", flat=True).iterator():
            letters = _letters(name)
            if len(letters) >= MIN_NAME_LENGTH and letters in plain:
                raise ValidationError(
                    _("Le mot de passe ne doit pas contenir le nom d'une collectivité (%(name)s).")
                    % {"name": name},
                    code="password_contains_collectivite",
                )

    def get_help_text(self):
        return _("Votre mot de passe ne doit pas contenir le nom d'une collectivité.")
