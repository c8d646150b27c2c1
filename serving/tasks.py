"""Background work of the serving app."""

from django_tasks import task


@task()
def bake_sites(site_ids=None):
    """Bake these sites (ids; None: every site) again (serving.baking.schedule)."""
    from serving.baking.runner import bake_sites as bake

    return [result.summary() for result in bake(site_ids)]
