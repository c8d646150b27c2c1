from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from quality.services import links


class Command(BaseCommand):
    help = (
        "Check the sites' links (outside ones over HTTP, politely), images without alternative "
        "text and PDFs without text; keep what is found for the quality dashboard "
        "(docs/quality.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site", metavar="HOSTNAME", help="One site only (all if absent)")
        parser.add_argument("--dry-run", action="store_true", help="Report only, write nothing")
        parser.add_argument(
            "--internal-only",
            action="store_true",
            help="No HTTP request: links within the Pays, images and documents only",
        )

    def handle(self, *args, site, dry_run, internal_only, **options):
        external = False if internal_only else None
        if site:
            found = Site.objects.filter(hostname__iexact=site).select_related("root_page").first()
            if found is None:
                raise CommandError(f"Site inconnu : {site}. Donnez le nom d'hôte d'un site.")
            reports = [links.check_site(found, external=external, dry_run=dry_run)]
        else:
            reports = links.check_all(external=external, dry_run=dry_run)
        verbose = options["verbosity"] > 1 or site
        for report in reports:
            if report.error:
                self.stderr.write(f"{report.hostname} : échec — {report.error}")
            elif verbose or report.issues:
                self.stdout.write(report.line())
            if site and not report.error:
                for line in report.issue_lines():
                    self.stdout.write(f"  {line}")
        failed = sum(1 for report in reports if report.error)
        total = sum(sum(report.issues.values()) for report in reports)
        self.stdout.write(
            f"{len(reports)} site(s), {total} problème(s), {failed} échec(s)"
            + (" (simulation)" if dry_run else "")
        )
        if failed:
            raise CommandError(f"{failed} site(s) non vérifié(s)")
