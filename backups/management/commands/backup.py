from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write the database and every media file to one archive with a manifest and checksums "
        "(docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="archive file (.tar, or .tar.gz to compress) or directory; default: here",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, output=None, database="default", **options):
        try:
            report = create_backup(output, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backup: {report.path} ({report.size} bytes): the {report.engine} database and "
            f"{report.media_files} media files"
        )
