"""Loading the registry of collectivités: the shipped JSON, the Pays' CSV export, and
INSEE's files as published (COG communes, legal populations, EPCI composition)."""

from communes.services.registry.files import import_registry_csv, load_registry
from communes.services.registry.report import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    Change,
    CsvFormatError,
    RegistryReport,
    RowError,
)
from communes.services.registry.shipped import PAYS_CODE, load_registry_file
from communes.services.registry.writer import RegistryWriter

__all__ = [
    "CREATED",
    "PAYS_CODE",
    "REJECTED",
    "UNCHANGED",
    "UPDATED",
    "Change",
    "CsvFormatError",
    "RegistryReport",
    "RegistryWriter",
    "RowError",
    "import_registry_csv",
    "load_registry",
    "load_registry_file",
]
