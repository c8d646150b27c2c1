import time

from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = (
        "Rebuild the visitors' search index (documents, pages, directory entries) in "
        "batches, showing progress. Needed after switching search engine."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--extract",
            action="store_true",
            help="read every document's text (PDF, office, plain text) again",
        )

    def handle(self, *args, extract=False, **options):
        started = time.monotonic()
        tty = self.stdout.isatty()

        def progress(label, done, total):
            width = 30
            filled = width * done // max(total, 1)
            line = f"{label:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if tty:
                self.stdout.write(f"\r{line}", ending="" if done < total else "\n")
                self.stdout.flush()
            elif done == total:
                self.stdout.write(line)

        counts = indexing.reindex(progress=progress, extract=extract)
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(f"Search index rebuilt in {time.monotonic() - started:.1f} s: {summary}")
