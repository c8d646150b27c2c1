from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from communes.models import Collectivite
from sitefactory.management.progress import ProgressBar, summary_table
from sitefactory.services.blueprints import BlueprintError, load_blueprint
from sitefactory.services.parallel import provision_in_parallel
from sitefactory.services.provisioning import FAILED, provision


class Command(BaseCommand):
    help = "Provision the sites of collectivités from their blueprints (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="INSEE or SIREN codes (PAYS for the portal)")
        parser.add_argument("--all", action="store_true", help="every collectivité")
        parser.add_argument("--blueprint", help="use this blueprint instead of the default")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes side by side (PostgreSQL; docs/scaling.md)",
        )

    def handle(self, *args, codes, **options):
        if bool(codes) == bool(options["all"]):
            raise CommandError("Donnez des codes ou --all (pas les deux).")
        workers = options["workers"]
        if workers < 1:
            raise CommandError("--workers : au moins 1.")
        if workers > 1 and options["dry_run"]:
            raise CommandError("--dry-run se fait en un seul processus : retirez --workers.")
        if workers > 1 and connection.vendor != "postgresql":
            raise CommandError(
                "--workers demande PostgreSQL (DATABASE_URL) : SQLite n'écrit qu'une chose "
                "à la fois."
            )
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
        progress = ProgressBar(self.stderr, self.stderr.isatty())
        if workers > 1:
            report = provision_in_parallel(
                queryset, workers=workers, blueprint=options["blueprint"], progress=progress
            )
        else:
            report = provision(
                queryset,
                blueprint=options["blueprint"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        for line in summary_table(report, verbose=options["verbosity"] > 1):
            self.stdout.write(line)
        prefix = "[dry-run] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report.summary}")
        if report.count(FAILED):
            # The others are done; the exit status tells scripts that some were not.
            raise SystemExit(1)
