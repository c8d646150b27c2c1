"""The directory in the admin. Entries are scoped to the editor's collectivités the way
banners are scoped to sites (communes.permissions): a secretary lists, edits and chooses only
the entries of their own commune. An edit to a field that an import wrote locks it
(directory.admin_forms)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from communes.permissions import CommuneScopedPermissionPolicy, JournalPermissionPolicy
from communes.tenancy import tenancy_for
from communes.viewsets import ScopedChooserMixin, scoped_chooser_viewset
from directory.admin_forms import ServiceEntryForm
from directory.models import Category, Fiche, ImportRun, ServiceEntry


def scoped_entries(queryset, user):
    tenancy = tenancy_for(user)
    if tenancy.is_pays_staff:
        return queryset
    return queryset.filter(commune_id__in=tenancy.collectivite_ids)


class EntryChooserScope(ScopedChooserMixin):
    def scope(self, queryset):
        return scoped_entries(queryset, self.request.user)


ScopedEntryChooserViewSet = scoped_chooser_viewset(EntryChooserScope)


class ServiceEntryViewSet(SnippetViewSet):
    model = ServiceEntry
    icon = "site"
    menu_label = _("Services")
    menu_order = 10
    edit_handler = ObjectList(ServiceEntry.panels, base_form_class=ServiceEntryForm)
    list_display = ["name", "category", "commune", "source", "status", "last_imported_at"]
    list_filter = ["category", "source", "status", "position_approximate", "recording_station"]
    search_fields = ["name", "city", "description"]
    search_backend_name = None
    ordering = ["name"]
    list_per_page = 50
    chooser_viewset_class = ScopedEntryChooserViewSet

    def get_index_view_kwargs(self, **kwargs):
        # Wagtail's « Ajouter un(e) service »: French needs the noun's article.
        return super().get_index_view_kwargs(add_item_label=_("Ajouter un service"), **kwargs)

    @property
    def permission_policy(self):
        return CommuneScopedPermissionPolicy(self.model)

    def get_queryset(self, request):
        return scoped_entries(
            ServiceEntry.objects.select_related("category", "commune"), request.user
        )


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Catégories")
    menu_order = 20
    list_display = ["name", "name_en", "slug", "service_public_types", "bpe_codes"]
    search_fields = ["name", "slug"]
    search_backend_name = None


class FicheViewSet(SnippetViewSet):
    model = Fiche
    icon = "doc-full"
    menu_label = _("Fiches service-public.fr")
    menu_order = 30
    list_display = ["fiche_id", "title", "kind", "modified", "status", "last_imported_at"]
    list_filter = ["status"]
    search_fields = ["fiche_id", "title"]
    search_backend_name = None
    inspect_view_enabled = True


class DirectoryGroup(SnippetViewSetGroup):
    items = (ServiceEntryViewSet, CategoryViewSet, FicheViewSet)
    menu_icon = "site"
    menu_label = _("Annuaire")
    menu_name = "annuaire"
    menu_order = 140


class ImportRunViewSet(ModelViewSet):
    model = ImportRun
    icon = "history"
    menu_label = _("Journal des imports")
    menu_name = "directory-imports"
    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    ordering = ["-started_at", "-pk"]
    list_display = [
        "source",
        "label",
        "result",
        Column("summary", label=_("Résumé")),
        Column("dry_run_label", label=_("Essai à blanc")),
        DateColumn("started_at", label=_("Début"), sort_key="started_at"),
        "user",
    ]
    list_filter = ["source", "result", "dry_run"]
    form_fields = ["source"]  # never used: the policy grants "view" only
    inspect_view_fields = [
        "source",
        "label",
        "dry_run",
        "result",
        "counts",
        "scope",
        "rejected",
        "skipped",
        "warnings",
        "message",
        "user",
        "started_at",
        "finished_at",
    ]

    @property
    def permission_policy(self):
        # The journal is written by the imports; read by whoever may start them.
        return JournalPermissionPolicy(self.model, "directory.add_importrun")
