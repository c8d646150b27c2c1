from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """One list for the offers, the application form and the routing table: a candidate
    for a tourism offer can say so, and a partner can follow that sector."""

    COMMERCE = "commerce", _("Commerce")
    ARTISANAT = "artisanat", _("Artisanat")
    AGRICULTURE = "agriculture", _("Agriculture")
    SANTE = "sante", _("Santé")
    SERVICES = "services", _("Services")
    TOURISME = "tourisme", _("Hôtellerie, restauration, tourisme")
    AUTRE = "autre", _("Autre")
