from django.core.management.base import BaseCommand

from photos.services import demo, progress


class Command(BaseCommand):
    help = (
        "Demo: sync the communes' photos against a local replay of Wikidata and Commons "
        "(photos/replay.py, stand-in images credited « image de démonstration »)."
    )

    def handle(self, *args, **options):
        results = demo.seed_photos()
        self.stdout.write(progress.summary(results))
