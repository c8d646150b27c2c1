from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from occitan.services.csv_import import ENTRIES, EXPRESSIONS, CsvFormatError, import_csv


class Command(BaseCommand):
    help = (
        "Import Occitan lexicon entries or expressions from a CSV file (the seed files of "
        "occitan/data/ or the admin's export). Imported rows are drafts « à relire »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--kind", required=True, choices=[ENTRIES, EXPRESSIONS])
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")

    def handle(self, *args, **options):
        try:
            raw = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {options['file']} : {exc}") from exc
        try:
            report = import_csv(raw, options["kind"], dry_run=options["dry_run"])
        except CsvFormatError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(report.summary)
