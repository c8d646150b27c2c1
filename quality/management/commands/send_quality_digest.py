from django.core.management.base import BaseCommand

from quality.services.digest import send_digests


class Command(BaseCommand):
    help = (
        "Email each secretary what is missing or stale on her site, with direct admin links "
        "(run weekly by the scheduler; docs/quality.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get a digest; send nothing."
        )

    def handle(self, *args, **options):
        report = send_digests(dry_run=options["dry_run"])
        for username, email, sites in report.sent:
            self.stdout.write(f"{username} <{email}>: {', '.join(sites)}")
        self.stdout.write(report.summary)
        for failure in report.failed:
            self.stderr.write(failure)
