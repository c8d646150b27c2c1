from django.core.management.base import BaseCommand

from alerts.services.sending import send_alerts


class Command(BaseCommand):
    help = (
        "Send the residents' alerts not sent yet: urgent banners in force and council meetings "
        "newly announced (the scheduler runs it every minute)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )

    def handle(self, *args, **options):
        report = send_alerts(dry_run=options["dry_run"])
        if options["verbosity"] or report.failed:
            self.stdout.write(report.summary)
        for failure in report.failed:
            self.stderr.write(failure)
