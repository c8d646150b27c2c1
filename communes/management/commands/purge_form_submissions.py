from django.core.management.base import BaseCommand

from communes.services.retention import purge_form_submissions


class Command(BaseCommand):
    help = (
        "Erase the form submissions (contact messages) older than "
        "FORM_SUBMISSION_RETENTION_MONTHS. The scheduler runs it every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        report = purge_form_submissions(dry_run=options["dry_run"])
        prefix = "[dry-run] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report.summary}")
