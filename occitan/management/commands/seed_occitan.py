import os

from django.core.management.base import BaseCommand, CommandError

from occitan.services.demo import seed_occitan


class Command(BaseCommand):
    help = (
        "The Occitan section's demo (make seed only): its index page on the portal, the seed "
        "words and expressions « à relire », a demo reviewer who publishes those the data's "
        "README does not flag, and a partner account (create_demo_accounts sets their "
        "passwords)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD"),
            help="default: none (create_demo_accounts sets it)",
        )

    def handle(self, *args, **options):
        try:
            report = seed_occitan(options["password"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary)
