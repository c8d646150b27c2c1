import os

from django.core.management.base import BaseCommand, CommandError

from sitefactory.services.demo import PAYS_USERNAME, create_demo_accounts


class Command(BaseCommand):
    help = "Create the demo accounts (make demo / make seed only) and print their passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_PASSWORD"), help="default: random"
        )

    def handle(self, *args, **options):
        try:
            accounts = create_demo_accounts(options["password"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration (mots de passe réinitialisés à chaque seed) :")
        self.stdout.write(f"  {PAYS_USERNAME:<32} {accounts.pays_password}   (équipe du Pays)")
        self.stdout.write(
            f"  secretaire-<slug> ({len(accounts.secretaries)} comptes)  "
            f"{accounts.secretary_password}   (ex. {', '.join(accounts.secretaries[:3])})"
        )
        if accounts.partners:
            self.stdout.write(
                f"  {', '.join(accounts.partners):<32} {accounts.secretary_password}   "
                "(partenaires de l'occitan : rédaction, relecture)"
            )
