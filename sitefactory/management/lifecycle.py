"""What the archive and restore commands share."""

from django.core.management.base import BaseCommand, CommandError

from communes.models import Collectivite
from sitefactory.services.lifecycle import LifecycleError


class LifecycleCommand(BaseCommand):
    service = None

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", help="INSEE or SIREN codes")

    def handle(self, *args, codes, **options):
        wanted = [c.strip().upper() for c in codes]
        found = {c.code: c for c in Collectivite.objects.filter(code__in=wanted)}
        unknown = [code for code in wanted if code not in found]
        if unknown:
            raise CommandError(f"Codes inconnus du registre : {', '.join(unknown)}")
        failed = False
        for code in dict.fromkeys(wanted):
            collectivite = found[code]
            try:
                outcome = self.service(collectivite)
            except LifecycleError as exc:
                failed = True
                self.stdout.write(f"{code} {collectivite.name} : échec : {exc}")
                continue
            self.stdout.write(f"{code} {collectivite.name} : {outcome.message}")
        if failed:
            # The others are done; the exit status tells scripts that some were not.
            raise SystemExit(1)
