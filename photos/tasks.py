"""Background tasks of the photos section.

STUB on the branch photos-show: the sync's task is written with the sync (photos/services/)
on its own branch and replaces this file at the merge. Its signature is the interface the
admin's « Lancer la synchronisation des photos » button calls (photos.admin_views).
"""

from django_tasks import task


@task()
def sync_commune_photos_task(codes: list[str], force: bool) -> None:
    raise NotImplementedError("photos.tasks.sync_commune_photos_task comes with the sync.")
