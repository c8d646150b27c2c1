"""Archiving and restoring a collectivité's site: offline, every page kept.

Archiving takes the site's pages offline with one UPDATE of `live` and remembers which
pages were live; restoring puts exactly those back online. Wagtail's own unpublish/publish
is not used on purpose: unpublishing drops `live_revision`, and publishing again would
create revisions (the factory would then take every page for an editor's work) or publish
drafts nobody had published. Flipping `live` alone gives back the site as it was.
"""

import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, PageLogEntry

from communes.models import Collectivite
from sitefactory.models import ProvisioningLog

ARCHIVE_ACTION = "sitefactory.archive"
RESTORE_ACTION = "sitefactory.restore"
CACHE_KEY = "bastide:archived-sites"
# Invalidation reaches every process only with a shared cache (Redis); a process-local cache
# is right again after this many seconds.
CACHE_TIMEOUT = 60
# Both the middleware and the page hook ask on every request: a short in-process memo spares
# the shared cache those round trips.
MEMO_SECONDS = 1.0
_memo = {"at": 0.0, "state": None}


class LifecycleError(Exception):
    pass


@dataclass
class LifecycleOutcome:
    collectivite: Collectivite
    changed: bool
    message: str


def archive(collectivite: Collectivite, user=None) -> LifecycleOutcome:
    """Take the collectivité's site offline; its pages, groups and history stay."""
    if collectivite.is_pays:
        raise LifecycleError(
            _("%(name)s : le portail du Pays ne peut pas être archivé, tous les sites en dépendent")
            % {"name": collectivite.name}
        )
    with transaction.atomic():
        c = Collectivite.objects.select_for_update().get(pk=collectivite.pk)
        if c.status == Collectivite.Status.ARCHIVED:
            return LifecycleOutcome(c, False, "déjà archivée : rien à faire")
        home = _home_page(c)
        pages = list(
            Page.objects.filter(_site_pages(home), live=True).values_list(
                "pk", "title", "content_type_id"
            )
        )
        ids = [pk for pk, _title, _ct in pages]
        Page.objects.filter(pk__in=ids).update(live=False)
        _log_pages(pages, ARCHIVE_ACTION, user, c)
        c.status = Collectivite.Status.ARCHIVED
        c.archived_live_pages = ids
        c.save(update_fields=["status", "archived_live_pages"])
        details = f"{len(ids)} pages mises hors ligne"
        _log(c, ProvisioningLog.Result.ARCHIVED, details, user)
        _after_change(ids)
    return LifecycleOutcome(c, True, f"archivée : {details}")


def restore(collectivite: Collectivite, user=None) -> LifecycleOutcome:
    """Put back online exactly the pages that were online when the site was archived."""
    with transaction.atomic():
        c = Collectivite.objects.select_for_update().get(pk=collectivite.pk)
        if c.status == Collectivite.Status.TO_PROVISION:
            raise _never_provisioned(c)
        if c.status != Collectivite.Status.ARCHIVED:
            return LifecycleOutcome(c, False, "n'est pas archivée : rien à faire")
        recorded = {int(pk) for pk in c.archived_live_pages or []}
        pages = list(
            Page.objects.filter(pk__in=recorded).values_list(
                "pk", "title", "content_type_id", "live"
            )
        )
        # A page an editor published again while the site was archived is already online.
        offline = [(pk, title, ct) for pk, title, ct, live in pages if not live]
        ids = [pk for pk, _title, _ct in offline]
        Page.objects.filter(pk__in=ids).update(live=True)
        _log_pages(offline, RESTORE_ACTION, user, c)
        c.status = Collectivite.Status.PROVISIONED
        c.archived_live_pages = []
        c.save(update_fields=["status", "archived_live_pages"])
        details = f"{len(ids)} pages remises en ligne"
        if missing := len(recorded) - len(pages):
            details += f" ({missing} supprimées entre-temps)"
        _log(c, ProvisioningLog.Result.RESTORED, details, user)
        _after_change(ids)
    return LifecycleOutcome(c, True, f"restaurée : {details}")


def _never_provisioned(c):
    return LifecycleError(
        _("%(name)s n'a jamais été provisionnée : elle n'a pas de site") % {"name": c.name}
    )


def _home_page(c: Collectivite) -> Page:
    if c.status == Collectivite.Status.TO_PROVISION:
        raise _never_provisioned(c)
    home = Page.objects.filter(pk=c.home_page_id).first() if c.home_page_id else None
    if home is None:
        raise LifecycleError(
            _(
                "%(name)s n'a plus de page d'accueil : provisionnez-la de nouveau avant de "
                "l'archiver"
            )
            % {"name": c.name}
        )
    return home


def _site_pages(home: Page) -> Q:
    """The site's pages in every locale: its home page, the home's translations, below them."""
    paths = Page.objects.filter(translation_key=home.translation_key).values_list("path", flat=True)
    condition = Q(path__startswith=home.path)
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def _log_pages(pages, action, user, c):
    """One entry in each page's history, so editors see why their page went offline."""
    now = timezone.now()
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                page_id=pk,
                content_type_id=content_type_id,
                label=title,
                action=action,
                data={"collectivite": c.code},
                timestamp=now,
                # One uuid per entry: Wagtail's history keeps only the latest entry of a uuid.
                uuid=uuid.uuid4(),
                user=user,
            )
            for pk, title, content_type_id in pages
        ]
    )


def _log(c, result, details, user):
    ProvisioningLog.objects.create(
        collectivite=c,
        blueprint=c.provisioned_blueprint,
        result=result,
        details=details,
        user=user,
    )


def _after_change(page_ids):
    forget_archived_sites()
    # Again after commit: a request between now and the commit may have cached the old state.
    transaction.on_commit(forget_archived_sites)
    if page_ids:
        from sitefactory.tasks import index_pages

        # A search backend that stores `live` (Elasticsearch) must see the change.
        transaction.on_commit(lambda: index_pages.enqueue(list(page_ids)))


# -- what the front end asks on every request ------------------------------------------------


def archived_sites() -> dict:
    """Hostnames and home page paths of the archived sites, cached.

    {"hosts": {hostname: name}, "paths": [(path, name), ...]}; the paths are those of the
    home pages in every locale, so a page is archived when its path starts with one.
    """
    now = time.monotonic()
    if _memo["state"] is not None and now - _memo["at"] < MEMO_SECONDS:
        return _memo["state"]
    state = cache.get(CACHE_KEY)
    if state is None:
        rows = list(
            Collectivite.objects.filter(status=Collectivite.Status.ARCHIVED).values_list(
                "name", "site__hostname", "home_page__translation_key"
            )
        )
        names = {key: name for name, _host, key in rows if key}
        paths = Page.objects.filter(translation_key__in=names).values_list(
            "path", "translation_key"
        )
        state = {
            "hosts": {host.lower(): name for name, host, _key in rows if host},
            "paths": [(path, names[key]) for path, key in paths],
        }
        cache.set(CACHE_KEY, state, CACHE_TIMEOUT)
    _memo.update(at=now, state=state)
    return state


def archived_name_for_host(hostname: str) -> str | None:
    return archived_sites()["hosts"].get(hostname.lower())


def archived_name_for_page(page: Page) -> str | None:
    for path, name in archived_sites()["paths"]:
        if page.path.startswith(path):
            return name
    return None


def forget_archived_sites(**_kwargs):
    _memo.update(at=0.0, state=None)
    cache.delete(CACHE_KEY)
