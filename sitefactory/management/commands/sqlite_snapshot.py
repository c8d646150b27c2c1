from django.core.management.base import BaseCommand

from sitefactory.services import sqlite_snapshot


class Command(BaseCommand):
    help = (
        "Write sitefactory/demo/sqlite-schema.sql again: a new SQLite database with every "
        "migration applied, as SQL (the demo loads it instead of migrating). Run it after "
        "adding a migration."
    )

    def handle(self, *args, **options):
        path = sqlite_snapshot.write()
        self.stdout.write(f"{path.relative_to(path.parents[2])} ({path.stat().st_size} bytes)")
