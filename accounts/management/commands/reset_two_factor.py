from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import two_factor


class Command(BaseCommand):
    help = (
        "Forget a user's second-factor devices (a lost phone): they enrol again at their next "
        "login. Unlock a locked-out account with `axes_reset_username <username>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        count = two_factor.reset(user)
        self.stdout.write(f"{username}: {count} device(s) removed.")
