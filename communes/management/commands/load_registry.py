from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.services.registry import CsvFormatError, import_registry_csv, load_registry_file


class Command(BaseCommand):
    help = "Load the registry of collectivités from the shipped JSON file or from a CSV export."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="JSON (as shipped) or CSV file; default: shipped data")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        path = Path(options["file"] or settings.BASTIDE_REGISTRY_FILE)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            with transaction.atomic():
                if path.suffix.lower() == ".csv":
                    report = import_registry_csv(path.read_bytes())
                else:
                    report = load_registry_file(path)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except CsvFormatError as exc:
            raise CommandError(str(exc)) from exc
        for error in report.errors:
            self.stderr.write(f"  rejetée {error}")
        prefix = "[dry-run] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report.summary}")
