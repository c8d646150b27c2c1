"""The factory's revisions: each page it makes starts with one, as if saved and published.

Moderation compares a submitted draft with the page's previous revision, and "revert" needs a
revision to go back to: a page without any shows no difference and cannot be put back as the
factory made it. page.save_revision() costs a handful of queries and a log entry per page;
here a batch of pages gets its revisions with one INSERT, one UPDATE of the pages, and one
query per child relation to serialise them.

A factory revision has no user. The factory remembers the revision it wrote last for each
page (ProvisionedPage.revision): a page whose latest revision is still that one has not been
edited since, however many revisions it has.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail.models import Page, Revision


def add_revisions(pages, *, when=None, children=None) -> dict[int, Revision]:
    """One live revision per page, of its content as it is now. Returns them by page id.

    `pages` are specific instances, saved, whose content is what they show: the revision
    becomes both their latest and their live revision (their latest only, if not live).
    `children`, for pages just inserted, holds all their child rows ({page id: [rows]}), so
    that serialising them reads nothing back.
    """
    pages = list(pages)
    if not pages:
        return {}
    when = when or timezone.now()
    contents = _serialise(pages, children)
    base_type = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type_id=page.content_type_id,
            base_content_type_id=base_type.pk,
            object_id=str(page.pk),
            created_at=when,
            user=None,
            object_str=str(page),
            content=content,
        )
        for page, content in zip(pages, contents, strict=True)
    ]
    Revision.objects.bulk_create(revisions)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if page.live else None
        page.latest_revision_created_at = when
        page.has_unpublished_changes = False
    # One statement run for each page: bulk_update()'s CASE expressions cost more, here.
    meta, qn = Page._meta, connection.ops.quote_name
    columns = ["latest_revision", "live_revision", "latest_revision_created_at"]
    assignments = ", ".join(f"{qn(meta.get_field(c).column)} = %s" for c in columns)
    when_db = meta.get_field("latest_revision_created_at").get_db_prep_value(when, connection)
    with connection.cursor() as cursor:
        cursor.executemany(
            # Names from the model, values as parameters.
            f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s",  # noqa: S608
            [(p.latest_revision_id, p.live_revision_id, when_db, p.pk) for p in pages],
        )
    return {page.pk: revision for page, revision in zip(pages, revisions, strict=True)}


def rewrite_revisions(pages):
    """Seeding writes into pages the factory has just made; their revision follows, so that
    the edit form, which starts from the latest revision, shows what the page shows."""
    pages = [p for p in pages if p is not None and p.latest_revision_id]
    if not pages:
        return
    contents = _serialise(pages)
    revisions = list(Revision.objects.filter(pk__in=[p.latest_revision_id for p in pages]))
    by_id = {r.pk: r for r in revisions}
    for page, content in zip(pages, contents, strict=True):
        by_id[page.latest_revision_id].content = content
        by_id[page.latest_revision_id].object_str = str(page)
    Revision.objects.bulk_update(revisions, ["content", "object_str"])


def _serialise(pages, children=None) -> list[dict]:
    if children is not None and not any(
        get_all_child_m2m_relations(model) for model in {type(p) for p in pages}
    ):
        return [_serialise_with(page, children.get(page.pk, [])) for page in pages]
    # Serialising reads each child relation of each page; prefetching reads each relation
    # once for the batch, and a relation every page has (comments) once for all of them.
    by_relation = {}
    for page in pages:
        # A list prefetched earlier would hide children added since.
        getattr(page, "_prefetched_objects_cache", {}).clear()
        model = type(page)
        for rel in get_all_child_relations(model):
            key = (rel.get_accessor_name(), rel.field.remote_field.model)
            by_relation.setdefault(key, []).append(page)
        for f in get_all_child_m2m_relations(model):
            if f.serialize:
                by_relation.setdefault((f.name, f.model), []).append(page)
    for (name, _model), same in by_relation.items():
        prefetch_related_objects(same, name)
    contents = [page.serializable_data() for page in pages]
    for page in pages:
        # Left in place, the prefetched lists would go stale at the page's next edit.
        getattr(page, "_prefetched_objects_cache", {}).clear()
    return contents


def _serialise_with(page, rows):
    """Serialise a page whose child rows are all known, from memory: modelcluster's managers
    read a page's in-memory children when it has some."""
    page._cluster_related_objects = {
        rel.get_accessor_name(): [row for row in rows if isinstance(row, rel.related_model)]
        for rel in get_all_child_relations(type(page))
    }
    try:
        return page.serializable_data()
    finally:
        del page._cluster_related_objects
