import os

from django.core.management.base import BaseCommand, CommandError

from occitan.services.demo import seed_occitan


class Command(BaseCommand):
    help = (
        "The Occitan section's demo (make seed only): its index page on the portal, the seed "
        "words and expressions « à relire », a demo reviewer who publishes those the data's "
        "README does not flag, and a partner account. Prints the demo accounts' password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_PASSWORD"), help="default: random"
        )

    def handle(self, *args, **options):
        try:
            report = seed_occitan(options["password"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary)
