"""The recycle bin: a deleted page is unpublished and moved, with its subpages, below a page
outside every site, where it keeps its id, revisions, references and history; it can be put
back where it was, and is deleted for good after RECYCLE_BIN_RETENTION_DAYS.

Everything goes through Wagtail's own actions (unpublish, move, publish, delete), so the
signals the search index and the serving caches listen to fire as for any editor's action.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, Revision, WorkflowState

from communes.models import Collectivite
from recyclebin.models import RecycleBinEntry, RecycleBinPage

logger = logging.getLogger(__name__)

BIN_SLUG = "corbeille-bastide"


class RestoreError(Exception):
    pass


def bin_page() -> RecycleBinPage:
    """The bin, made on first use at the top of the tree, beside the portal: in no site."""
    page = RecycleBinPage.objects.first()
    if page is None:
        root = Page.get_first_root_node()
        page = root.add_child(instance=RecycleBinPage(title="Corbeille", slug=BIN_SLUG, live=False))
    return page


def in_bin(page) -> bool:
    return RecycleBinPage.objects.filter(path__in=_ancestor_paths(page.path)).exists()


def bin_filter(prefix="") -> Q:
    """A Q matching the pages in the bin (or relations to them, with `prefix`)."""
    q = Q(pk__in=[])
    for path in RecycleBinPage.objects.values_list("path", flat=True):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def collectivite_of(page) -> Collectivite | None:
    """The collectivité whose site holds the page: the nearest home page above it."""
    return (
        Collectivite.objects.filter(home_page__path__in=_ancestor_paths(page.path))
        .order_by("-home_page__depth")
        .first()
    )


def _ancestor_paths(path):
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def move_to_bin(page, user=None) -> RecycleBinEntry:
    """Instead of deleting `page`: unpublish its subtree and move it to the bin."""
    page = Page.objects.get(pk=page.pk)
    if page.depth <= 1 or in_bin(page):
        raise ValueError(f"page {page.pk} cannot go to the recycle bin")
    parent = page.get_parent()
    previous = page.get_prev_sibling()
    subtree = page.get_descendants(inclusive=True)
    live = list(subtree.live().order_by("-path").specific(defer=True))
    entry = RecycleBinEntry(
        page=page,
        collectivite=collectivite_of(page),
        title=page.get_admin_display_title()[:255],
        original_location=" › ".join(
            p.get_admin_display_title() for p in page.get_ancestors(inclusive=True)[1:]
        )[:1000],
        original_parent=parent,
        previous_sibling=previous,
        live_pages={str(p.pk): p.live_revision_id for p in live},
        page_count=subtree.count(),
        deleted_by=user if user and user.is_authenticated else None,
        deleted_at=timezone.now(),
    )
    with transaction.atomic():
        # Deepest first, while the pages still have their addresses: the caches and the
        # search index see each page go.
        for p in live:
            UnpublishPageAction(p, user=user).execute(skip_permission_checks=True)
        # Nothing may go live from the bin: no scheduled publication, no pending approval.
        ids = [str(pk) for pk in subtree.values_list("pk", flat=True)]
        Revision.page_revisions.filter(object_id__in=ids).exclude(approved_go_live_at=None).update(
            approved_go_live_at=None
        )
        for state in WorkflowState.objects.active().filter(
            base_content_type=ContentType.objects.get_for_model(Page), object_id__in=ids
        ):
            state.cancel(user=user)
        MovePageAction(page, bin_page(), pos="last-child", user=user).execute(
            skip_permission_checks=True
        )
        entry.save()
    return entry


@dataclass
class Restored:
    page: Page
    parent: Page
    slug_changed: bool
    republished: int


def restore(entry: RecycleBinEntry, user=None) -> Restored:
    """Put the page back where it was (or on its site's home page when that place is gone),
    and republish what was live, as it was live."""
    with transaction.atomic():
        entry = RecycleBinEntry.objects.select_for_update().get(pk=entry.pk)
        page = Page.objects.get(pk=entry.page_id).specific
        parent = _restore_target(entry)
        slug_changed = _free_slug(page, parent)
        previous = entry.previous_sibling
        if previous is not None and previous.get_parent().pk == parent.pk:
            MovePageAction(page, previous, pos="right", user=user).execute(
                skip_permission_checks=True
            )
        else:
            MovePageAction(page, parent, pos="last-child", user=user).execute(
                skip_permission_checks=True
            )
        page.refresh_from_db()
        republished = 0
        ids = [int(pk) for pk in entry.live_pages]
        for p in Page.objects.filter(pk__in=ids).descendant_of(page, inclusive=True).specific():
            # The revision that was live, not a draft saved since.
            revision = Revision.page_revisions.filter(pk=entry.live_pages[str(p.pk)]).first()
            if revision is None:
                revision = p.save_revision(user=user, log_action=False)
            revision.publish(user=user, skip_permission_checks=True)
            republished += 1
        entry.delete()
    return Restored(page.specific, parent, slug_changed, republished)


def _restore_target(entry) -> Page:
    parent = entry.original_parent
    home = entry.collectivite.home_page if entry.collectivite else None
    in_site = parent is not None and (home is None or parent.path.startswith(home.path))
    if in_site and not in_bin(parent):
        return parent
    if home is not None and not in_bin(home):
        return home
    raise RestoreError(_("l'emplacement d'origine n'existe plus"))


def _free_slug(page, parent) -> bool:
    """A sibling may have taken the slug meanwhile: the restored page takes the next free one."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    if page.slug not in taken:
        return False
    n = 2
    while f"{page.slug}-{n}" in taken:
        n += 1
    page.slug = f"{page.slug}-{n}"
    Page.objects.filter(pk=page.pk).update(slug=page.slug)
    return True


def entries_for(tenancy):
    """The bin as a user sees it: Pays staff all of it, others their collectivités' pages."""
    entries = RecycleBinEntry.objects.select_related("collectivite", "deleted_by")
    if tenancy.is_pays_staff:
        return entries
    return entries.filter(collectivite_id__in=tenancy.collectivite_ids)


def purge(now=None) -> int:
    """Delete for good what has been in the bin longer than the retention period."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.RECYCLE_BIN_RETENTION_DAYS)
    count = 0
    for entry in RecycleBinEntry.objects.filter(deleted_at__lt=limit).order_by("pk"):
        with transaction.atomic():
            page = Page.objects.get(pk=entry.page_id)
            DeletePageAction(page, user=None).execute(skip_permission_checks=True)
        logger.info("recycle bin: page %s (%s) deleted for good", entry.page_id, entry.title)
        count += 1
    return count
