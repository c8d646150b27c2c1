"""What changes the index: publishing, unpublishing, moving, deleting, private sections,
documents, directory entries and imports. Changes are gathered per transaction and sent to
one background task when it commits, so that a rolled-back change never reaches the index
and an import of 800 entries makes one task, not 800."""

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from communes.models import SiteDocument
from directory.models import ImportRun, ServiceEntry
from occitan.models import Entry, Expression
from search.models import Promotion
from search.occitan import entry_key, expression_key
from search.sources import document_key, page_key, service_key
from serving.cache import bump_content_version

FIELDS = ("pages", "subtrees", "documents", "services", "removed", "service_source", "occitan")


class Pending:
    def __init__(self, scope):
        self.scope = scope
        self.items = {name: set() for name in FIELDS}

    def send(self):
        from search.tasks import update_index

        if _state.get(connection.alias) is self:
            del _state[connection.alias]
        kwargs = {name: sorted(values) for name, values in self.items.items() if values}
        if "service_source" in kwargs:
            kwargs["service_source"] = kwargs["service_source"][0]
        if kwargs:
            update_index.enqueue(**kwargs)


_state = {}


def schedule(name, *values):
    """Index `values` (of kind `name`) once the current transaction commits. Changes made
    in the same transaction (and savepoint) share one task."""
    scope = (connection.alias, tuple(connection.savepoint_ids))
    pending = _state.get(connection.alias)
    registered = (
        pending is not None
        and pending.scope == scope
        and any(callback == pending.send for _sids, callback, _robust in connection.run_on_commit)
    )
    if not registered:
        pending = Pending(scope)
        if connection.in_atomic_block:
            _state[connection.alias] = pending
    pending.items[name].update(values)
    if not registered:
        transaction.on_commit(pending.send)


def _published(instance, **kwargs):
    # A new slug changes the addresses below: index the section, not just the page.
    if instance.depth > 2 and instance.numchild:
        schedule("subtrees", instance.pk)
    else:
        schedule("pages", instance.pk)


def _unpublished(instance, **kwargs):
    schedule("subtrees", instance.pk)


def _moved(instance, **kwargs):
    schedule("subtrees", instance.pk)


def _page_deleted(instance, **kwargs):
    schedule("removed", page_key(instance.pk))


def _restriction_changed(instance, **kwargs):
    if isinstance(instance, PageViewRestriction):
        schedule("subtrees", instance.page_id)
    else:
        ids = SiteDocument.objects.filter(
            collection__path__startswith=instance.collection.path
        ).values_list("pk", flat=True)
        schedule("documents", *ids)


def _document_saved(instance, **kwargs):
    schedule("documents", instance.pk)


def _document_deleted(instance, **kwargs):
    schedule("removed", document_key(instance.pk))


def _service_saved(instance, **kwargs):
    schedule("services", instance.pk)


def _service_deleted(instance, **kwargs):
    schedule("removed", service_key(instance.pk))


def _import_finished(instance, **kwargs):
    if instance.finished_at and not instance.dry_run:
        schedule("service_source", instance.source)


OCCITAN_KEYS = {Entry: entry_key, Expression: expression_key}


def _occitan_saved(sender, instance, **kwargs):
    # Published, sent back for review or unpublished: a save each time (DraftStateMixin).
    schedule("occitan", OCCITAN_KEYS[sender](instance.pk))


def _occitan_deleted(sender, instance, **kwargs):
    schedule("removed", OCCITAN_KEYS[sender](instance.pk))


def _promotions_changed(**kwargs):
    bump_content_version()


def connect():
    page_published.connect(_published, dispatch_uid="bastide-search-published")
    page_unpublished.connect(_unpublished, dispatch_uid="bastide-search-unpublished")
    post_page_move.connect(_moved, dispatch_uid="bastide-search-moved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="bastide-search-page-deleted")
    for model in (PageViewRestriction, CollectionViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(
                _restriction_changed,
                sender=model,
                dispatch_uid=f"bastide-search-{model.__name__}-{id(signal)}",
            )
        m2m_changed.connect(
            _restriction_changed,
            sender=model.groups.through,
            dispatch_uid=f"bastide-search-{model.__name__}-groups",
        )
    post_save.connect(_document_saved, sender=SiteDocument, dispatch_uid="bastide-search-doc")
    post_delete.connect(
        _document_deleted, sender=SiteDocument, dispatch_uid="bastide-search-doc-deleted"
    )
    post_save.connect(_service_saved, sender=ServiceEntry, dispatch_uid="bastide-search-svc")
    post_delete.connect(
        _service_deleted, sender=ServiceEntry, dispatch_uid="bastide-search-svc-deleted"
    )
    post_save.connect(_import_finished, sender=ImportRun, dispatch_uid="bastide-search-import")
    for model in OCCITAN_KEYS:
        label = model._meta.label
        post_save.connect(_occitan_saved, sender=model, dispatch_uid=f"bastide-search-{label}")
        post_delete.connect(
            _occitan_deleted, sender=model, dispatch_uid=f"bastide-search-{label}-deleted"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            _promotions_changed, sender=Promotion, dispatch_uid=f"bastide-search-promo-{id(signal)}"
        )
