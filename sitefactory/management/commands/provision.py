from django.core.management.base import BaseCommand, CommandError

from communes.models import Collectivite
from sitefactory.management.progress import ProgressBar, summary_table
from sitefactory.services.blueprints import BlueprintError, load_blueprint
from sitefactory.services.provisioning import FAILED, provision


class Command(BaseCommand):
    help = "Provision the sites of collectivités from their blueprints (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="INSEE or SIREN codes (PAYS for the portal)")
        parser.add_argument("--all", action="store_true", help="every collectivité")
        parser.add_argument("--blueprint", help="use this blueprint instead of the default")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, codes, **options):
        if bool(codes) == bool(options["all"]):
            raise CommandError("Donnez des codes ou --all (pas les deux).")
        if options["blueprint"]:
            try:
                load_blueprint(options["blueprint"])
            except BlueprintError as exc:
                raise CommandError(str(exc)) from exc
        if options["all"]:
            queryset = Collectivite.objects.all()
        else:
            wanted = {c.strip().upper() for c in codes}
            queryset = Collectivite.objects.filter(code__in=wanted)
            unknown = wanted - set(queryset.values_list("code", flat=True))
            if unknown:
                raise CommandError(f"Codes inconnus du registre : {', '.join(sorted(unknown))}")
        if not queryset.exists():
            raise CommandError("Le registre est vide : lancez d'abord manage.py load_registry.")
        report = provision(
            queryset,
            blueprint=options["blueprint"],
            dry_run=options["dry_run"],
            progress=ProgressBar(self.stderr, self.stderr.isatty()),
        )
        for line in summary_table(report, verbose=options["verbosity"] > 1):
            self.stdout.write(line)
        prefix = "[dry-run] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report.summary}")
        if report.count(FAILED):
            # The others are done; the exit status tells scripts that some were not.
            raise SystemExit(1)
