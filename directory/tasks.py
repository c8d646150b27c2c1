"""Background work of the directory (django-tasks): imports started from the admin."""

from django_tasks import task


@task()
def run_directory_import(
    source: str, origin: str, dry_run: bool = False, user_id=None, confirm: bool = False
) -> str:
    from django.contrib.auth import get_user_model

    from directory.importers import get_importer
    from directory.services.imports import run_import

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report = run_import(
        get_importer(source), origin or None, dry_run=dry_run, confirm=confirm, user=user
    )
    return report.file_error or " — ".join(filter(None, [report.summary, report.scope_line]))
