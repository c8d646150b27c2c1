from django.core.management.base import BaseCommand, CommandError

from backups.restore import restore_backup
from backups.services import BackupError


class Command(BaseCommand):
    # Not `restore`: that one puts archived sites back online (sitefactory).
    help = (
        "Verify a backup archive, then load it into an empty database and media storage "
        "(docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="an archive written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a non-empty database (every table dropped) and same-named media files",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="verify the archive and the target only"
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, archive, force, dry_run, database, **options):
        try:
            report = restore_backup(archive, using=database, force=force, dry_run=dry_run)
        except BackupError as error:
            raise CommandError(str(error)) from error
        done = "verified, nothing written" if report.dry_run else "restored"
        self.stdout.write(
            f"{done}: {report.path} of {report.created_at}: the {report.engine} database and "
            f"{report.media_files} media files"
        )
        if report.dry_run and report.target_not_empty:
            self.stdout.write(f"note: {report.target_not_empty}")
