from django.core.management.base import BaseCommand, CommandError

from photos.services import progress, sync


class Command(BaseCommand):
    help = (
        "Fetch each commune's photo from Wikidata (P18) and Wikimedia Commons, with its "
        "author and licence; re-sync the ones that changed (docs/photos.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", metavar="CODE", help="INSEE codes (all if none)")
        parser.add_argument("--dry-run", action="store_true", help="Report only, write nothing")
        parser.add_argument(
            "--force", action="store_true", help="Replace the communes' own photos too"
        )

    def handle(self, *args, codes, dry_run, force, **options):
        communes = sync.communes(codes)
        unknown = sorted(set(codes) - set(communes.values_list("code", flat=True)))
        if unknown:
            raise CommandError(
                f"Commune inconnue ou sans site : {', '.join(unknown)}. "
                "Donnez le code INSEE d'une commune provisionnée."
            )
        report = progress.Progress(self.stdout, self.stderr, verbose=options["verbosity"] > 0)
        results = sync.sync(communes, force=force, dry_run=dry_run, progress=report)
        if report.tty:
            for result in results:
                self.stdout.write(result.line())
        self.stdout.write(progress.summary(results) + (" (simulation)" if dry_run else ""))
