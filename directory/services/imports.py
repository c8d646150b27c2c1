"""The import run: fetching and parsing a source, writing its records, archiving what it
no longer has — only within the scope the input covers completely, only when no record was
refused, and past a share of that scope only once confirmed."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.importers.base import ImportFileError
from directory.models import ImportRun
from directory.services.entry_writer import EntryWriter
from directory.services.fiche_writer import FicheRecord, FicheWriter
from directory.services.import_report import COUNTS, ImportReport
from serving.cache import deferred_bumps

__all__ = ["COUNTS", "EntryWriter", "FicheRecord", "FicheWriter", "ImportReport", "run_import"]

DEFAULT_CONFIRM_SHARE = 0.2
KEPT_LINES = 1000  # of each kind, in the journal


class _DryRun(Exception):
    pass


def confirm_share():
    return float(getattr(settings, "DIRECTORY_ARCHIVE_CONFIRM_SHARE", DEFAULT_CONFIRM_SHARE))


def run_import(
    importer, origin, *, dry_run=False, confirm=False, user=None, progress=None
) -> ImportReport:
    """Import `origin` with `importer`. A file refused whole changes nothing; otherwise
    each record is written in its own transaction, and a bad one is reported, not fatal.

    Archiving would take more than DIRECTORY_ARCHIVE_CONFIRM_SHARE of the scope? Then the
    records are still written (nothing is lost by writing what the source says) but nothing
    is archived until the run is made again with `confirm`."""
    report = ImportReport(importer.source, dry_run=dry_run)
    run = ImportRun.objects.create(source=importer.source, dry_run=dry_run, user=user)
    report.run = run
    try:
        source = importer.fetch(origin)
        report.label = source.label
        items = list(importer.parse(source))
        scope = importer.archive_scope(source, items)
    except ImportFileError as exc:
        report.file_error = str(exc)
        _finish(run, report, ImportRun.Result.REJECTED, str(exc))
        return report
    writer = FicheWriter() if importer.target == "fiches" else EntryWriter(importer)
    try:
        with deferred_bumps(), transaction.atomic():
            writer.write(items, report, progress)
            archive(writer, scope, report, confirm)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    result = ImportRun.Result.UNCONFIRMED if report.needs_confirm else ImportRun.Result.DONE
    _finish(run, report, result, report.archive_note if report.needs_confirm else "")
    return report


def archive(writer, scope, report, confirm=False):
    """Archive what the input lacks within `scope`, if the run may."""
    report.scope = str(scope.label)
    if scope.covers is None:
        report.archive_note = _("rien n'est archivé")
        return
    if report.counts["rejected"]:
        report.archive_note = _("des enregistrements ont été refusés : rien n'est archivé")
        return
    plan = writer.archive_plan(scope.covers)
    if not plan.gone:
        return
    share = confirm_share()
    if not confirm and plan.gone > share * plan.total:
        report.needs_confirm = True
        report.archive_note = _(
            "%(gone)d sur %(total)d (%(percent)d %%) seraient archivés, plus que le seuil de "
            "%(threshold)d %% : rien n'est archivé sans confirmation (--confirm, ou la case "
            "« Confirmer l'archivage »)"
        ) % {
            "gone": plan.gone,
            "total": plan.total,
            "percent": round(100 * plan.gone / plan.total),
            "threshold": round(100 * share),
        }
        return
    report.counts["archived"] += plan.apply()


def _finish(run, report, result, message):
    run.label = report.label[:500]
    run.result = result
    run.counts = report.counts
    run.rejected = report.rejected[:KEPT_LINES]
    run.skipped = report.skipped[:KEPT_LINES]
    run.warnings = report.warnings[:KEPT_LINES]
    run.scope = report.scope_line
    run.message = message or "\n".join(report.notes)
    run.finished_at = timezone.now()
    run.save()
