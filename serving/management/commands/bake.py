"""Bake the public pages to files (docs/serving.md#baked-pages)."""

import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Rend les pages publiques en fichiers servis sans Django."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="nom d'hôte du site")
        parser.add_argument("--all", action="store_true", help="tous les sites")
        parser.add_argument("--parallel", type=int, default=1, help="processus (avec --all)")
        parser.add_argument("--withdraw", action="store_true", help="retirer les fichiers")
        parser.add_argument("--follow", action="store_true", help="boucle du cuiseur")

    def handle(self, *args, **options):
        from wagtail.models import Site

        from serving.baking import runner, schedule
        from serving.baking.engine import withdraw

        schedule.detach()  # what this process bakes, it bakes here
        site_ids = None
        if options["site"]:
            site = Site.objects.filter(hostname__iexact=options["site"]).first()
            if site is None:
                raise CommandError(f"Aucun site « {options['site']} ».")
            site_ids = [site.pk]
        if options["withdraw"]:
            hosts = withdraw(site_ids)
            self.stdout.write(f"{len(hosts)} site(s) retiré(s)")
            return
        if options["follow"]:
            runner.follow(report=self.report)
            return
        if site_ids is None and not options["all"]:
            raise CommandError("--site HÔTE, --all, --withdraw ou --follow.")
        started = time.monotonic()
        if site_ids is None:
            results = runner.bake_all(parallel=options["parallel"], report=self.report)
        else:
            results = runner.bake_sites(site_ids, report=self.report)
        pages = sum(r.pages for r in results)
        skipped = sum(len(r.skipped) for r in results)
        self.stdout.write(
            f"{len(results)} site(s), {pages} pages, {skipped} ignorées, "
            f"{time.monotonic() - started:.1f} s"
        )

    def report(self, result):
        self.stdout.write(result.summary())
