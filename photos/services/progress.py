"""What a run prints: a progress bar on a terminal, plain lines otherwise; then a summary."""

from collections import Counter

from photos.models import CommunePhotoStatus

BAR = 30


class Progress:
    def __init__(self, stdout, stderr, *, verbose=True):
        self.stdout, self.stderr, self.verbose = stdout, stderr, verbose
        self.tty = hasattr(stderr, "isatty") and stderr.isatty()

    def __call__(self, done, total, result):
        if self.tty:
            filled = BAR * done // max(total, 1)
            bar = "#" * filled + "-" * (BAR - filled)
            self.stderr.write(f"\r[{bar}] {done}/{total} {result.code}", ending="")
            if done == total:
                self.stderr.write("")
            if result.outcome == CommunePhotoStatus.Outcome.FAILED:
                self.stderr.write(f"\r{result.line()}")
        elif self.verbose:
            self.stdout.write(f"[{done}/{total}] {result.line()}")


def summary(results) -> str:
    counts = Counter(result.outcome for result in results)
    return "photos : " + ", ".join(
        f"{str(label)} {counts.get(value, 0)}"
        for value, label in CommunePhotoStatus.Outcome.choices
    )
