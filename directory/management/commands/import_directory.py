from django.core.management.base import BaseCommand, CommandError

from directory.importers import IMPORTERS, get_importer
from directory.services.imports import run_import

# The national file holds some 80,000 records, almost all outside the Pays.
SKIPPED_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import directory entries (or comarquage fiches) from a file, a folder, a zip or a "
        "URL. Idempotent: a second run over the same data creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=sorted(IMPORTERS))
        parser.add_argument("origin", nargs="?", default="", help="file, folder, zip or URL")
        parser.add_argument("--dry-run", action="store_true", help="report, save nothing")
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="archive even more than DIRECTORY_ARCHIVE_CONFIRM_SHARE of the input's scope",
        )
        parser.add_argument(
            "--source-name", default="", help="for csv: the name of this spreadsheet's source"
        )

    def handle(self, *args, source, origin, dry_run, confirm, source_name, **options):
        importer = get_importer(source)
        if source_name:
            importer.source = source_name
        if not origin and importer.needs_origin:
            raise CommandError(f"{source} needs a file, a folder, a zip or a URL to read")
        progress = self.progress if self.stdout.isatty() else None
        report = run_import(importer, origin, dry_run=dry_run, confirm=confirm, progress=progress)
        if progress:
            self.stdout.write("")
        if report.file_error:
            raise CommandError(report.file_error)
        for line in report.rejected:
            self.stdout.write(f"  refusé — {line}")
        for line in report.warnings:
            self.stdout.write(f"  avertissement — {line}")
        for line in report.skipped[:SKIPPED_SHOWN]:
            self.stdout.write(f"  laissé de côté — {line}")
        if len(report.skipped) > SKIPPED_SHOWN:
            more = len(report.skipped) - SKIPPED_SHOWN
            self.stdout.write(f"  laissé de côté — … et {more} autres")
        if report.scope_line:
            self.stdout.write(report.scope_line)
        for line in report.notes:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"{importer.source}: {report.summary}")

    def progress(self, done, total):
        width = 30
        filled = width * done // max(total, 1)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()
