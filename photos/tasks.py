"""The sync in the background (django-tasks): Pays staff start it from the admin."""

from django_tasks import task


@task()
def sync_commune_photos_task(codes: list[str] | None = None, force: bool = False) -> dict:
    """Sync the communes of `codes` (all if empty); returns {outcome: count}."""
    from collections import Counter

    from photos.services import sync

    results = sync.sync(sync.communes(codes or None), force=force)
    return dict(Counter(result.outcome for result in results))
