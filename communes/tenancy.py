"""Who works for which collectivité, and what they may see in the admin.

Wagtail's permissions are per page subtree and per collection; everything else (snippets,
choosers, settings...) is per model. Bastide's editors belong to one collectivité through
their groups (CollectiviteGroup); this module answers, once per request, which
collectivités, sites and page subtrees a user works on, so the admin can be narrowed to them.
"""

from django.db.models import Q

from communes.models import Collectivite, CollectiviteGroup

PAYS_TEAM_ROLE = "equipe"


class Tenancy:
    """A user's reach. Pays staff (and superusers) reach everything."""

    def __init__(self, user):
        self.user = user
        if not user.is_authenticated:
            self.is_pays_staff = False
            self.collectivite_ids = frozenset()
            return
        links = CollectiviteGroup.objects.filter(group__user=user).values_list(
            "collectivite_id", "role", "collectivite__kind"
        )
        self.is_pays_staff = user.is_superuser or any(
            role == PAYS_TEAM_ROLE and kind == Collectivite.Kind.PAYS for _c, role, kind in links
        )
        self.collectivite_ids = frozenset(c for c, _role, kind in links if kind != "pays")

    @property
    def collectivites(self):
        if self.is_pays_staff:
            return Collectivite.objects.all()
        return Collectivite.objects.filter(pk__in=self.collectivite_ids)

    @property
    def site_ids(self):
        if not hasattr(self, "_site_ids"):
            self._site_ids = frozenset(
                self.collectivites.exclude(site=None).values_list("site_id", flat=True)
            )
        return self._site_ids

    @property
    def home_pages(self):
        if not hasattr(self, "_home_pages"):
            from wagtail.models import Page

            ids = self.collectivites.exclude(home_page=None).values_list("home_page_id", flat=True)
            self._home_pages = list(Page.objects.filter(pk__in=list(ids)).only("path", "depth"))
        return self._home_pages

    @property
    def epci_ids(self):
        return frozenset(self.collectivites.exclude(epci=None).values_list("epci_id", flat=True))

    def page_filter(self, prefix=""):
        """A Q on pages (or on a relation to pages, with `prefix`) within the user's sites."""
        if self.is_pays_staff:
            return Q()
        homes = self.home_pages
        if not homes:
            return Q(pk__in=[])
        q = Q()
        for home in homes:
            q |= Q(**{f"{prefix}path__startswith": home.path})
        return q

    def owns_page(self, page):
        return self.is_pays_staff or any(page.path.startswith(h.path) for h in self.home_pages)

    def owns_site(self, site_id):
        return self.is_pays_staff or site_id in self.site_ids


def tenancy_for(request_or_user):
    """The Tenancy of a request's user, computed once per request."""
    user = getattr(request_or_user, "user", request_or_user)
    cached = getattr(user, "_bastide_tenancy", None)
    if cached is None:
        cached = Tenancy(user)
        if user.is_authenticated:
            user._bastide_tenancy = cached
    return cached
