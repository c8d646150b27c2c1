from django.core.management.base import BaseCommand

from newcomers.services.alerts import send_new_offer_alerts


class Command(BaseCommand):
    help = (
        "Send each confirmed subscriber of the « nouvelles offres » alert the current offers "
        "published since their last alert (run daily by the scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )

    def handle(self, *args, **options):
        report = send_new_offer_alerts(dry_run=options["dry_run"])
        self.stdout.write(report.summary)
        for failure in report.failed:
            self.stderr.write(failure)
