from django.core.management.base import BaseCommand

from photos.campaign.retention import purge_submissions


class Command(BaseCommand):
    help = (
        "Erase the residents' photos past their retention (refused: "
        "PHOTO_SUBMISSION_REFUSED_RETENTION_DAYS after the decision; accepted or never decided: "
        "PHOTO_SUBMISSION_ACCEPTED_RETENTION_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, **options):
        count = purge_submissions(dry_run=options["dry_run"])
        verb = "à effacer" if options["dry_run"] else "effacées"
        self.stdout.write(f"{count} photos proposées {verb}.")
