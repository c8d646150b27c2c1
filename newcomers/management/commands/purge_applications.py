from django.core.management.base import BaseCommand

from newcomers.applications.retention import purge_applications


class Command(BaseCommand):
    help = (
        "Erase the newcomers' applications older than NEWCOMERS_APPLICATION_RETENTION_DAYS "
        "(the scheduler runs it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, **options):
        report = purge_applications(dry_run=options["dry_run"])
        self.stdout.write(report.summary)
