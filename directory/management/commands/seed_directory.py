from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory.importers import get_importer
from directory.services.imports import run_import
from directory.services.stations import mark_recording_stations, read_codes

DATA = settings.BASE_DIR / "directory" / "data"
DEMO = [
    ("mairies", None),
    ("france-services", DATA / "france-services-dordogne.geojson"),
    ("csv", DATA / "entrees-locales-demo.csv"),
    ("comarquage", DATA / "comarquage"),
]
STATIONS = DATA / "dispositifs-de-recueil-demo.txt"


class Command(BaseCommand):
    help = (
        "Fill the directory with the demo data: a mairie per commune of the registry, the "
        "France Services of Dordogne, fictional local entries, the comarquage samples, the "
        "demo recording stations for identity papers."
    )

    def handle(self, *args, **options):
        for key, origin in DEMO:
            importer = get_importer(key)
            report = run_import(importer, origin)
            if report.file_error:
                raise CommandError(f"{key}: {report.file_error}")
            self.stdout.write(f"{key}: {report.summary}")
        marked = mark_recording_stations(read_codes(STATIONS))
        self.stdout.write(f"dispositifs de recueil (démo) : {marked} mairie(s) marquée(s)")
