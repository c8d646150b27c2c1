"""Bulk insertion of page subtrees (and collections), below Wagtail's add_child().

This is the one place where Bastide writes Wagtail's trees without going through treebeard's
per-node API. add_child() costs several queries per page plus signal handlers (search and
reference indexing); provisioning 160 sites that way is slow. Here a whole subtree goes in
with one INSERT for the wagtailcore_page rows, one per specific model, and one UPDATE of the
parent's numchild, in the caller's transaction. Search and reference indexing are deferred to
a background task (see sitefactory.tasks).

The invariants treebeard and Wagtail rely on are kept: materialised path and depth,
numchild, url_path, draft_title, locale and translation_key, live/published timestamps, and
for collections their order by name. sitefactory/tests/test_bulk_tree.py proves it with
find_problems() and by editing, publishing, translating, moving and deleting pages made here.
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.models import Collection, Locale, Page, PageLogEntry

from sitefactory.models import TreeReservation

BASE_FIELDS = [f for f in Page._meta.concrete_fields if not f.primary_key]


@dataclass
class Node:
    """A page to insert, with the pages to insert below it."""

    page: Page
    children: list["Node"] = field(default_factory=list)


def _specific_fields(model):
    if model is Page:
        return []
    parents = [p for p in model._meta.get_parent_list() if p is not Page]
    if parents:
        raise TypeError(f"{model.__name__}: only direct subclasses of Page are bulk-inserted.")
    return list(model._meta.local_concrete_fields)


def _children(model, parent):
    # A range rather than path__startswith: SQLite's LIKE cannot use the path index, and the
    # query would read the whole table for every insertion.
    return model.objects.filter(
        path__range=model._get_children_path_interval(parent.path), depth=parent.depth + 1
    )


def _next_step(model, parent):
    """The integer step the next child of `parent` will take."""
    last = _children(model, parent).order_by("-path").values_list("path", flat=True).first()
    return model._str2int(last[-model.steplen :]) + 1 if last else 1


def insert_subtree(
    parent: Page, nodes: list[Node], *, locale: Locale | None = None, first_step=None
) -> list[Page]:
    """Insert `nodes` (and their children) as the last children of `parent`, live.

    Returns the inserted pages, specific instances with their primary keys set. Must be
    called inside a transaction; the parent row is locked so concurrent inserts below the
    same parent cannot take the same path. With `first_step`, steps reserved beforehand
    (reserve_steps()), the parent is neither locked nor counted here: the caller calls
    count_children() once, at the end of its transaction.
    """
    if not nodes:
        return []
    rows = Page.objects.only("path", "depth", "url_path")
    if first_step is None:
        parent = rows.select_for_update().get(pk=parent.pk)
        first_step = _claim_steps(parent, len(nodes))
        count_now = True
    else:
        parent, count_now = rows.get(pk=parent.pk), False
    locale = locale or Locale.get_default()
    now = timezone.now()
    flat = []  # every page, each after its parent

    def place(node_list, parent_page, first_step):
        for offset, node in enumerate(node_list):
            page = node.page
            page.depth = parent_page.depth + 1
            page.path = Page._get_path(parent_page.path, page.depth, first_step + offset)
            page.numchild = len(node.children)
            page.url_path = f"{parent_page.url_path}{page.slug}/"
            page.draft_title = page.title
            page.locale_id = locale.pk
            page.translation_key = page.translation_key or uuid.uuid4()
            page.content_type_id = ContentType.objects.get_for_model(type(page)).pk
            page.live = True
            page.has_unpublished_changes = False
            page.first_published_at = page.last_published_at = now
            flat.append(page)
            place(node.children, page, 1)

    place(nodes, parent, first_step)

    base_rows = [Page(**{f.attname: getattr(p, f.attname) for f in BASE_FIELDS}) for p in flat]
    Page.objects.bulk_create(base_rows)
    by_model = {}
    for page, row in zip(flat, base_rows, strict=True):
        page.pk = page.id = row.pk
        page.page_ptr_id = row.pk
        by_model.setdefault(type(page), []).append(page)
    for model, pages in by_model.items():
        fields = _specific_fields(model)
        if fields:
            size = connection.ops.bulk_batch_size(fields, pages) or len(pages)
            for start in range(0, len(pages), size):
                model._base_manager._insert(pages[start : start + size], fields=fields, raw=True)
        for page in pages:
            page._state.adding = False
            page._state.db = model._base_manager.db

    if count_now:
        count_children(parent, len(nodes))
    _log_creation(flat, now)
    return flat


def count_children(parent: Page, count: int):
    """Add `count` to the parent's numchild (which locks its row until the commit)."""
    Page.objects.filter(pk=parent.pk).update(numchild=models.F("numchild") + count)


def _claim_steps(parent: Page, count: int) -> int:
    """The first of `count` steps for new children of `parent`, whose row is locked: after
    its last child, and after what workers have reserved (reserve_steps())."""
    step = _next_step(Page, parent)
    reservation = TreeReservation.objects.select_for_update().filter(parent_id=parent.pk).first()
    if reservation is not None:
        step = max(step, reservation.next_step)
        reservation.next_step = step + count
        reservation.save(update_fields=["next_step"])
    return step


def reserve_steps(parent: Page, count: int) -> int:
    """Reserve `count` steps for new children of `parent`, in a transaction of its own,
    committed at once; returns the first. A batch of new sites then inserts its homes at
    those steps without holding the parent's lock until its end (sitefactory.services.batch),
    so that provisioning workers running side by side do not wait for each other."""
    if connection.in_atomic_block:
        raise RuntimeError("reserve_steps() commits: call it outside any transaction")
    TreeReservation.objects.get_or_create(parent_id=parent.pk, defaults={"next_step": 1})
    with transaction.atomic():
        reservation = TreeReservation.objects.select_for_update().get(parent_id=parent.pk)
        step = max(reservation.next_step, _next_step(Page, parent))
        reservation.next_step = step + count
        reservation.save(update_fields=["next_step"])
    return step


def _log_creation(pages, now):
    """The "wagtail.create" entries page.save() writes for a new page, so its history starts
    where the admin expects it to."""
    context = get_active_log_context()
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            content_type_id=page.content_type_id,
            label=page.get_admin_display_title(),
            action="wagtail.create",
            timestamp=now,
            data={},
            content_changed=True,
            user=context.user,
            uuid=context.uuid,
            page_id=page.pk,
        )
        for page in pages
    )


def add_collection(parent: Collection, name: str) -> Collection:
    """One child collection, where treebeard's add_child() would put it (add_collections)."""
    return add_collections(parent, [name])[0]


def add_collections(parent: Collection, names: list[str]) -> list[Collection]:
    """Children of `parent` named `names`, each where treebeard's sorted add_child() would put
    it, for less; returned in the order of `names`.

    Collections keep their children in name order: add_child() puts a new one before the
    first sibling (in path order) whose name sorts after its own, and moves every later
    sibling one step right with an UPDATE each; across a France-wide run, that is thousands
    of statements per collection. Here one query finds, in the database's collation, where
    each name goes; the siblings that move right get their new paths in one executemany
    (last first, so that each lands on a free path); the new collections go in with one
    INSERT. The parent row is locked, as in insert_subtree().
    """
    if not names:
        return []
    parent = Collection.objects.select_for_update().only("path", "depth").get(pk=parent.pk)
    depth = parent.depth + 1
    low, high = Collection._get_children_path_interval(parent.path)
    # (name, path of the sibling it goes before, or None for the end), in name order.
    placed = _insertion_points(names, low, high, depth)
    siblings = list(_children(Collection, parent).order_by("path").values_list("path", flat=True))
    before = {}
    for name, sibling in placed:
        before.setdefault(sibling, []).append(name)
    steplen = Collection.steplen
    step, moves, new = 0, [], []
    for sibling in [*siblings, None]:
        for name in before.get(sibling, []):
            step += 1
            new.append(Collection(name=name, depth=depth, numchild=0))
            new[-1].path = Collection._get_path(parent.path, depth, step)
        if sibling is None:
            break
        old = Collection._str2int(sibling[-steplen:])
        step = max(step + 1, old)
        if step != old:
            moves.append((sibling, Collection._get_path(parent.path, depth, step)))
    _move_subtrees(reversed(moves))
    Collection.objects.bulk_create(new)
    Collection.objects.filter(pk=parent.pk).update(numchild=models.F("numchild") + len(new))
    by_name = {}
    for collection in new:
        by_name.setdefault(collection.name, []).append(collection)
    return [by_name[name].pop(0) for name in names]


def _insertion_points(names, low, high, depth):
    """For each name, the first sibling (in path order) whose name sorts after it in the
    database's collation, as treebeard's filter(name__gt=...) finds it; sorted by name."""
    qn = connection.ops.quote_name
    table = qn(Collection._meta.db_table)
    values = " UNION ALL ".join(["SELECT %s AS name"] * len(names))
    sql = (
        f"SELECT n.name, (SELECT MIN(c.{qn('path')}) FROM {table} c "  # noqa: S608 - names from the model
        f"WHERE c.{qn('path')} >= %s AND c.{qn('path')} <= %s AND c.{qn('depth')} = %s "
        f"AND c.{qn('name')} > n.name) FROM ({values}) n ORDER BY n.name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [low, high, depth, *names])
        return cursor.fetchall()


def _move_subtrees(moves):
    """Give each (old path, new path) node its new path, and its descendants theirs."""
    qn = connection.ops.quote_name
    path = qn("path")
    sql = (
        f"UPDATE {qn(Collection._meta.db_table)} "  # noqa: S608 - names from the model
        f"SET {path} = %s || SUBSTR({path}, CAST(%s AS INTEGER)) "
        f"WHERE {path} >= %s AND {path} <= %s"
    )
    # A range, not LIKE: the path index serves it in any collation.
    width = Collection._meta.get_field("path").max_length
    rows = [(new, len(old) + 1, old, old.ljust(width, "Z")) for old, new in moves]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
