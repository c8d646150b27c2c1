"""The directory in the admin. Entries are scoped to the editor's collectivités the way
banners are scoped to sites (communes.viewsets): a secretary lists, edits and chooses only
the entries of their own commune. An edit to a field that an import wrote locks it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from communes.models import Collectivite
from communes.tenancy import tenancy_for
from communes.viewsets import (
    JournalPermissionPolicy,
    ScopedChooserMixin,
    ScopedPermissionPolicy,
    scoped_chooser_viewset,
)
from directory.models import Category, Fiche, ImportRun, OpeningHours, ServiceEntry

LOCKABLE = {
    "name": _("nom"),
    "category": _("catégorie"),
    "description": _("description"),
    "address": _("adresse"),
    "postcode": _("code postal"),
    "city": _("ville"),
    "commune": _("commune"),
    "latitude": _("latitude"),
    "longitude": _("longitude"),
    "position_approximate": _("position approximative"),
    "phone": _("téléphone"),
    "email": _("courriel"),
    "website": _("site internet"),
    "accessibility": _("accessibilité"),
    "extra": _("informations complémentaires"),
    "hours": _("horaires"),
}


class CommuneScopedPermissionPolicy(ScopedPermissionPolicy):
    """Outside the Pays team, only the entries of one's own collectivités."""

    def in_reach(self, tenancy, instance):
        return instance.commune_id in tenancy.collectivite_ids

    def narrow(self, queryset, tenancy):
        return queryset.filter(commune_id__in=tenancy.collectivite_ids)


def scoped_entries(queryset, user):
    tenancy = tenancy_for(user)
    if tenancy.is_pays_staff:
        return queryset
    return queryset.filter(commune_id__in=tenancy.collectivite_ids)


class EntryChooserScope(ScopedChooserMixin):
    def scope(self, queryset):
        return scoped_entries(queryset, self.request.user)


ScopedEntryChooserViewSet = scoped_chooser_viewset(EntryChooserScope)


class ServiceEntryForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locked_fields"] = forms.MultipleChoiceField(
            label=_("Champs verrouillés"),
            choices=list(LOCKABLE.items()),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=self.instance.locked_fields,
            help_text=ServiceEntry._meta.get_field("locked_fields").help_text,
        )
        tenancy = tenancy_for(self.for_user) if self.for_user else None
        if tenancy is not None and not tenancy.is_pays_staff:
            field = self.fields["commune"]
            field.queryset = Collectivite.objects.filter(pk__in=tenancy.collectivite_ids)
            field.required = True
            field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        locked = set(cleaned.get("locked_fields") or [])
        if self.instance.pk and self.instance.source != "local":
            # What the editor changed now is theirs: the next import leaves it alone.
            locked |= self._really_changed(cleaned) - set(self.initial.get("locked_fields") or [])
        cleaned["locked_fields"] = sorted(locked)
        return cleaned

    def _really_changed(self, cleaned):
        """Fields whose value differs from the saved one (not just re-posted)."""
        saved = ServiceEntry.objects.get(pk=self.instance.pk)
        changed = set()
        for name in LOCKABLE:
            if name == "hours" or name not in cleaned:
                continue
            old, new = getattr(saved, name), cleaned[name]
            if hasattr(old, "pk") or hasattr(new, "pk"):
                old, new = getattr(old, "pk", old), getattr(new, "pk", new)
            if (old or None) != (new or None):
                changed.add(name)
        hours = self.formsets.get("opening_hours")
        if hours is not None and hours.is_valid():
            keys = OpeningHours.VALUE_FIELDS
            before = sorted(
                tuple(getattr(row, k) for k in keys) for row in saved.opening_hours.all()
            )
            after = sorted(
                tuple(form.cleaned_data.get(k) for k in keys)
                for form in hours.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            )
            if before != after:
                changed.add("hours")
        return changed

    def save(self, commit=True):
        self.instance.locked_fields = self.cleaned_data["locked_fields"]
        if "last_checked_at" not in self.changed_data:
            # Someone just went through the entry: that is what "checked" means.
            self.instance.last_checked_at = timezone.now()
        return super().save(commit=commit)


class ServiceEntryViewSet(SnippetViewSet):
    model = ServiceEntry
    icon = "site"
    menu_label = _("Services")
    menu_order = 10
    edit_handler = ObjectList(ServiceEntry.panels, base_form_class=ServiceEntryForm)
    list_display = ["name", "category", "commune", "source", "status", "last_imported_at"]
    list_filter = ["category", "source", "status", "position_approximate"]
    search_fields = ["name", "city", "description"]
    search_backend_name = None
    ordering = ["name"]
    list_per_page = 50
    chooser_viewset_class = ScopedEntryChooserViewSet

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
    list_display = ["fiche_id", "title", "modified", "status", "last_imported_at"]
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
    list_display = ["source", "label", "result", "summary", "dry_run", "started_at", "user"]
    list_filter = ["source", "result", "dry_run"]
    form_fields = ["source"]  # never used: the policy grants "view" only
    inspect_view_fields = [
        "source",
        "label",
        "dry_run",
        "result",
        "counts",
        "rejected",
        "message",
        "user",
        "started_at",
        "finished_at",
    ]

    @property
    def permission_policy(self):
        # The journal is written by the imports; read by whoever may start them.
        return JournalPermissionPolicy(self.model, "directory.add_importrun")
