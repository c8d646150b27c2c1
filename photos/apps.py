from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    """Photos of every commune from Wikidata and Wikimedia Commons, credited and re-synced,
    and the « appel à photos » for the communes that have none."""

    name = "photos"
    verbose_name = _("Photos des communes")
    default_auto_field = "django.db.models.BigAutoField"
