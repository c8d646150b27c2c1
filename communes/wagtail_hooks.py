from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from communes.models import Collectivite
from communes.tenancy import tenancy_for
from communes.views import CollectiviteIndexView, RegistryImportView, SiteLinkColumn
from communes.viewsets import BannerViewSet


class CollectiviteViewSet(SnippetViewSet):
    """The registry, for the Pays team: what exists, and what the factory made of it."""

    model = Collectivite
    icon = "site"
    menu_label = _("Collectivités")
    menu_name = "collectivites"
    add_to_admin_menu = True
    menu_order = 150
    index_view_class = CollectiviteIndexView
    copy_view_enabled = False
    list_per_page = 50
    ordering = ["name"]
    list_display = [
        "name",
        "kind",
        "code",
        "epci",
        "status",
        "provisioned_blueprint",
        DateColumn("provisioned_at", label=_("Provisionnée le"), sort_key="provisioned_at"),
        SiteLinkColumn("url", label=_("Site")),
    ]
    list_filter = ["kind", "status", "epci"]
    search_fields = ["name", "code"]
    # Plain database lookups: the registry is small, and a Wagtail search index of it would
    # lag behind imports.
    search_backend_name = None
    # Headings the CSV import understands, so an export goes back in unchanged.
    list_export = [
        "code",
        "name",
        "kind",
        "postcodes",
        "population",
        "epci",
        "latitude",
        "longitude",
        "wikidata_id",
        "status",
        "hostname",
        "provisioned_blueprint",
        "provisioned_at",
    ]
    export_headings = {
        "code": "code",
        "name": "nom",
        "kind": "type",
        "postcodes": "codes_postaux",
        "population": "population",
        "epci": "epci",
        "latitude": "latitude",
        "longitude": "longitude",
        "wikidata_id": "wikidata",
        "status": "statut",
        "hostname": "nom_d_hote",
        "provisioned_blueprint": "modele",
        "provisioned_at": "provisionnee_le",
    }
    export_filename = "registre-collectivites"

    def get_queryset(self, request):
        return Collectivite.objects.select_related("epci", "site")


register_snippet(CollectiviteViewSet)


@hooks.register("register_admin_urls")
def register_registry_import_url():
    return [
        path(
            "collectivites/import/",
            RegistryImportView.as_view(),
            name="communes_import_registry",
        )
    ]


# -- Tenancy: a collectivité's editors see only their own site ------------------------------

register_snippet(BannerViewSet)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_within_reach(pages, request):
    """The page chooser lists the user's sites, and the pages above them to get there."""
    tenancy = tenancy_for(request)
    if tenancy.is_pays_staff:
        return pages
    ancestors = Q()
    for home in tenancy.home_pages:
        ancestors |= Q(path__in=[home.path[:n] for n in range(4, len(home.path), 4)])
    return pages.filter(tenancy.page_filter() | ancestors)


@hooks.register("construct_homepage_panels")
def collectivite_dashboard(request, panels):
    """A secretary's admin home opens on their commune."""
    from communes.dashboard import CollectivitePanel

    tenancy = tenancy_for(request)
    if not tenancy.is_pays_staff and tenancy.collectivite_ids:
        panels.insert(0, CollectivitePanel(request))


# -- uploads: a document used only on restricted pages is as restricted as they are ---------


@hooks.register("before_serve_document")
def documents_of_restricted_pages(document, request):
    from communes.services.document_access import refusal

    return refusal(document, request)
