"""Which collectivité an object belongs to, for many objects at once.

The moderation lists name the commune of each pending page or snippet, and the Pays' count of
interventions (quality.services.interventions) places each log entry in a collectivité. Both
ask about many objects: the registry is read once (about 175 rows), then each object is placed
from what it carries — a page by its path under a home page, a snippet by its `site`, `epci`
or `collectivite`, an image or a document by its collection.
"""

from communes.models import Collectivite

# Fields by which a snippet names its collectivité, the most precise first.
OWNER_FIELDS = ("collectivite", "site", "epci", "collection")


class CollectiviteLocator:
    def __init__(self):
        rows = Collectivite.objects.select_related("home_page", "collection").only(
            "name", "kind", "epci_id", "site_id", "home_page__path", "collection__path"
        )
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
        for length in range(len(path), 0, -4):
            found = self.by_home_path.get(path[:length])
            if found is not None:
                return found
        return None

    def for_collection_path(self, path):
        for length in range(len(path), 0, -4):
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
