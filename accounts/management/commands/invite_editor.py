from django.core.management.base import BaseCommand, CommandError

from accounts.services import invitations
from accounts.services.editors import EDITOR_ROLES, AccountError
from communes.models import Collectivite


class Command(BaseCommand):
    help = (
        "Invite an editor of a collectivité by email (its INSEE or SIREN code): a link to "
        "choose a username and a password, or, for an address that has an account already, "
        "that account added to the group."
    )

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("email")
        parser.add_argument("--role", choices=EDITOR_ROLES, required=True)

    def handle(self, code, email, role, **options):
        collectivite = Collectivite.objects.filter(code=code).first()
        if collectivite is None:
            raise CommandError(f"Aucune collectivité n'a le code {code!r}.")
        try:
            outcome = invitations.invite(collectivite, email, role)
        except AccountError as error:
            raise CommandError(str(error)) from None
        if outcome.user is not None:
            self.stdout.write(f"{email}: compte existant {outcome.user.get_username()} ajouté.")
        else:
            self.stdout.write(f"{email}: invitation envoyée ({collectivite.name}, {role}).")
