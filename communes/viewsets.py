"""Admin viewsets: the registry (the Pays team's), and what belongs to one collectivité's
site (banners...).

Wagtail's snippet permissions are per model: anyone who may edit banners may edit all of
them. SiteScopedPermissionPolicy (communes.permissions) adds the missing rule: outside the
Pays team, only the objects of one's own sites, through every view (listing, edit, delete,
history, usage, chooser); the scoped choosers below narrow what is offered the same way.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, LiveStatusTagColumn
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from communes.admin_views import CollectiviteIndexView, SiteLinkColumn
from communes.forms import BannerForm
from communes.models import Banner, Collectivite
from communes.permissions import SiteScopedPermissionPolicy
from communes.tenancy import tenancy_for


def scoped_queryset(queryset, user, site_field="site"):
    tenancy = tenancy_for(user)
    if tenancy.is_pays_staff:
        return queryset
    return queryset.filter(**{f"{site_field}_id__in": tenancy.site_ids})


class ScopedChooserMixin:
    """Choosers list, and answer for, only what the user may reach (`scope`)."""

    def scope(self, queryset):
        return scoped_queryset(queryset, self.request.user)

    def get_object_list(self):
        return self.scope(super().get_object_list())

    def get_object(self, pk):
        return self.scope(self.model_class.objects.all()).get(pk=pk)

    def get_objects(self, pks):
        return self.scope(self.model_class.objects.all()).filter(pk__in=pks)


class FormlessCreateView(SnippetCreateView):
    """Wagtail registers a chooser's "create" URL even when the chooser offers no creation
    form, and a POST there fails on the missing form (a 500): there is nothing to create."""

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def scoped_chooser_viewset(mixin):
    """A snippet chooser viewset whose every view is narrowed by `mixin.scope`."""

    def view(base):
        return type(f"Scoped{base.__name__}", (mixin, base), {})

    return type(
        f"{mixin.__name__}ChooserViewSet",
        (SnippetChooserViewSet,),
        {
            "choose_view_class": view(ChooseView),
            "choose_results_view_class": view(ChooseResultsView),
            "chosen_view_class": view(SnippetChosenView),
            "chosen_multiple_view_class": view(SnippetChosenMultipleView),
            "create_view_class": FormlessCreateView,
        },
    )


ScopedChooserViewSet = scoped_chooser_viewset(ScopedChooserMixin)


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "warning"
    menu_label = _("Bandeaux")
    menu_order = 150
    add_to_admin_menu = True
    edit_handler = ObjectList(Banner.panels, base_form_class=BannerForm)
    list_display = [
        "title",
        "level",
        DateColumn("start", label=_("Affiché à partir du"), sort_key="start"),
        DateColumn("end", label=_("Jusqu'au"), sort_key="end"),
        Column("scope_label", label=_("Où")),
        LiveStatusTagColumn(),
    ]
    list_filter = ["level", "live"]
    search_fields = ["title", "text"]
    search_backend_name = None
    ordering = ["-start"]
    chooser_viewset_class = ScopedChooserViewSet

    def get_index_view_kwargs(self, **kwargs):
        # Wagtail's « Ajouter un(e) bandeau »: French needs the noun's article.
        return super().get_index_view_kwargs(add_item_label=_("Ajouter un bandeau"), **kwargs)

    @property
    def permission_policy(self):
        return SiteScopedPermissionPolicy(self.model)

    def get_queryset(self, request):
        return scoped_queryset(Banner.objects.select_related("site", "epci"), request.user)


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
