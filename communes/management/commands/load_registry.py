from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from communes.services.registry import CsvFormatError, load_registry


class Command(BaseCommand):
    help = (
        "Load the registry of collectivités: the shipped JSON, the Pays' CSV export, or INSEE's "
        "files as published (COG communes, legal populations, commune→EPCI composition)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="JSON (as shipped) or CSV file; default: shipped data")
        parser.add_argument(
            "--departement",
            action="append",
            default=[],
            help="INSEE files: only these departments (repeat, or 24,33); the COG file then "
            "adds their communes. Without it, only communes already in the registry change.",
        )
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        path = Path(options["file"] or settings.BASTIDE_REGISTRY_FILE)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            report = load_registry(path, options["departement"], dry_run=options["dry_run"])
        except CsvFormatError as exc:
            raise CommandError(str(exc)) from exc
        for error in report.errors:
            self.stderr.write(f"  rejetée {error}")
        prefix = "[dry-run] " if options["dry_run"] else ""
        if options["verbosity"] >= 1:
            for line in report.lines(all_creations=options["verbosity"] >= 2):
                self.stdout.write(f"{prefix}{line}")
        self.stdout.write(f"{prefix}{report.summary}")
