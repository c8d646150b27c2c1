from django.core.management import call_command
from django.core.management.base import BaseCommand

from sitefactory.services import seeding


class Command(BaseCommand):
    help = (
        "The demo in one process: migrate, load the registry, provision every site, fill "
        "them, index once, create the demo accounts (make seed / make demo). Does not bake."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true", help="without demo accounts")

    def handle(self, *args, **options):
        report = seeding.seed(stdout=self.stdout)
        self.stdout.write(f"Schéma : {report.schema}")
        for step, seconds in report.timings:
            self.stdout.write(f"  {step:<22} {seconds:6.1f} s")
        self.stdout.write(f"  {'total':<22} {report.total:6.1f} s")
        if not options["no_accounts"]:
            # Last, so that the passwords are what the terminal shows.
            call_command("create_demo_accounts", stdout=self.stdout)
