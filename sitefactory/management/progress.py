"""Terminal output of the factory's commands: a progress bar, then a summary table."""

import shutil


class ProgressBar:
    def __init__(self, stream, enabled):
        self.stream = stream
        self.enabled = enabled

    def __call__(self, position, total, outcome):
        if not self.enabled:
            return
        width = max(10, min(40, shutil.get_terminal_size().columns - 50))
        done = int(width * position / total)
        name = outcome.collectivite.name[:24]
        self.stream.write(
            f"\r[{'#' * done}{'.' * (width - done)}] {position}/{total} {name:<24}", ending=""
        )
        self.stream.flush()
        if position == total:
            self.stream.write("")


def summary_table(report, verbose=False):
    """Rows for every collectivité that did something (all rows when verbose)."""
    rows = [
        (
            o.collectivite.code,
            o.collectivite.name,
            o.blueprint,
            o.result,
            o.error or "; ".join(o.changes),
        )
        for o in report.outcomes
        if verbose or o.result != "unchanged" or o.error
    ]
    if not rows:
        return []
    headers = ("code", "collectivité", "modèle", "résultat", "détails")
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(4)]

    def line(cells):
        fixed = "  ".join(str(c).ljust(w) for c, w in zip(cells[:4], widths, strict=True))
        return f"{fixed}  {str(cells[4])[:120]}"

    return [line(headers), *(line(row) for row in rows)]
