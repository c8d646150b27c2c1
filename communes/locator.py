"""Which collectivité an object belongs to, for many objects at once.

The moderation lists name the commune of each pending page or snippet, and the Pays' count of
interventions (quality.services.interventions) places each log entry in a collectivité. Both
ask about many objects: the collectivités they may belong to are read at once (or the whole
registry, for a report over everything), then each object is placed from what it carries — a
page by its path under a home page, a snippet by its `site`, `epci` or `collectivite`, an
image or a document by its collection.
"""

from django.db.models import Q

from communes.models import Collectivite

# Fields by which a snippet names its collectivité, the most precise first.
OWNER_FIELDS = ("collectivite", "site", "epci", "collection")
STEPLEN = 4  # treebeard's, for pages and collections alike


class CollectiviteLocator:
    """`objects`: the objects that will be asked about, so that only their collectivités
    (and the Pays) are read; None reads the whole registry (a report over everything)."""

    def __init__(self, objects=None):
        rows = Collectivite.objects.select_related("home_page", "collection").only(
            "name", "kind", "epci_id", "site_id", "home_page__path", "collection__path"
        )
        if objects is not None:
            rows = rows.filter(_owners(objects) | Q(kind=Collectivite.Kind.PAYS))
        self.by_id = {}
        self.by_home_path = {}
        self.by_site_id = {}
        self.by_collection_path = {}
        for c in rows:
            self.by_id[c.pk] = c
            if c.home_page_id:
                self.by_home_path[c.home_page.path] = c
            if c.site_id:
                self.by_site_id[c.site_id] = c
            if c.collection_id:
                self.by_collection_path[c.collection.path] = c
        self.pays = next((c for c in self.by_id.values() if c.is_pays), None)

    def for_page_path(self, path):
        """The collectivité whose home page is this page or one of its ancestors."""
        for length in range(len(path), 0, -STEPLEN):
            found = self.by_home_path.get(path[:length])
            if found is not None:
                return found
        return None

    def for_collection_path(self, path):
        for length in range(len(path), 0, -STEPLEN):
            found = self.by_collection_path.get(path[:length])
            if found is not None:
                return found
        return None

    def for_object(self, obj):
        """The collectivité of a page, a snippet, an image, a document or of a collectivité
        itself; None for what belongs to no collectivité (the Occitan lexicon is the Pays's
        own: see for_pays_wide)."""
        if obj is None:
            return None
        if isinstance(obj, Collectivite):
            return self.by_id.get(obj.pk)
        path = getattr(obj, "path", None)
        if path is not None and hasattr(obj, "depth"):
            return self.for_page_path(path)
        for field in OWNER_FIELDS:
            value = getattr(obj, f"{field}_id", None)
            if value is None:
                continue
            if field == "site":
                return self.by_site_id.get(value)
            if field == "collection":
                return self.for_collection_path(obj.collection.path)
            return self.by_id.get(value)
        return None

    def for_pays_wide(self, obj):
        """For display: what belongs to no collectivité is the Pays's (banners of the whole
        Pays, the Occitan lexicon)."""
        return self.for_object(obj) or self.pays


def _prefixes(path):
    return [path[:length] for length in range(len(path), 0, -STEPLEN)]


def _owners(objects):
    """A Q of the collectivités `for_object` may answer for these objects (the same rules)."""
    ids, sites, homes, collections = set(), set(), set(), set()
    for obj in objects:
        if obj is None:
            continue
        if isinstance(obj, Collectivite):
            ids.add(obj.pk)
            continue
        path = getattr(obj, "path", None)
        if path is not None and hasattr(obj, "depth"):
            homes.update(_prefixes(path))
            continue
        for field in OWNER_FIELDS:
            value = getattr(obj, f"{field}_id", None)
            if value is None:
                continue
            if field == "site":
                sites.add(value)
            elif field == "collection":
                collections.update(_prefixes(obj.collection.path))
            else:
                ids.add(value)
            break
    return (
        Q(pk__in=ids)
        | Q(site_id__in=sites)
        | Q(home_page__path__in=homes)
        | Q(collection__path__in=collections)
    )
