from django.conf import settings
from django.core.management.base import BaseCommand

from recyclebin.services import purge


class Command(BaseCommand):
    help = (
        "Delete for good the pages in the recycle bin for longer than RECYCLE_BIN_RETENTION_DAYS."
    )

    def handle(self, *args, **options):
        count = purge()
        self.stdout.write(
            f"{count} page(s) supprimée(s) définitivement "
            f"(corbeille : {settings.RECYCLE_BIN_RETENTION_DAYS} jours)"
        )
