"""The directory's sources, one importer class each (see base.py for the interface)."""

from django.utils.module_loading import import_string

IMPORTERS = {
    "annuaire": "directory.importers.annuaire.AnnuaireImporter",
    "comarquage": "directory.importers.comarquage.ComarquageImporter",
    "france-services": "directory.importers.france_services.FranceServicesImporter",
    "csv": "directory.importers.local_csv.LocalCsvImporter",
    "producteurs": "directory.importers.scrapers.ProducteursScraper",
    "mairies": "directory.importers.registry.RegistryMairiesImporter",
}


def get_importer(key):
    """A new importer for `key` (one of IMPORTERS); KeyError for an unknown one."""
    return import_string(IMPORTERS[key])()
