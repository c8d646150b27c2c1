from django.core.management.base import BaseCommand

from alerts.services.subscriptions import purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Erase the alert subscriptions never confirmed within ALERTS_UNCONFIRMED_RETENTION_DAYS "
        "(the scheduler runs it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, **options):
        report = purge_unconfirmed(dry_run=options["dry_run"])
        self.stdout.write(report.summary)
