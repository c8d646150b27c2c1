"""Admin viewsets for what belongs to one collectivité's site (banners...).

Wagtail's snippet permissions are per model: anyone who may edit banners may edit all of
them. SiteScopedPermissionPolicy adds the missing rule: outside the Pays team, only the
objects of one's own sites, through every view (listing, edit, delete, history, usage,
chooser).
"""

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from communes.models import Banner, Collectivite
from communes.tenancy import tenancy_for


class JournalPermissionPolicy(ModelPermissionPolicy):
    """For journals that the code writes (provisioning, imports): read-only, for whoever
    holds `permission`."""

    def __init__(self, model, permission, **kwargs):
        super().__init__(model, **kwargs)
        self.permission = permission

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.has_perm(self.permission)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and outside the Pays team only the objects within one's reach:
    subclasses say what is in reach (`in_reach`) and narrow listings to it (`narrow`)."""

    def in_reach(self, tenancy, instance):
        raise NotImplementedError

    def narrow(self, queryset, tenancy):
        raise NotImplementedError

    def _in_reach(self, user, instance):
        tenancy = tenancy_for(user)
        return tenancy.is_pays_staff or self.in_reach(tenancy, instance)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._in_reach(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._in_reach(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        tenancy = tenancy_for(user)
        return queryset if tenancy.is_pays_staff else self.narrow(queryset, tenancy)


class SiteScopedPermissionPolicy(ScopedPermissionPolicy):
    site_field = "site"

    def in_reach(self, tenancy, instance):
        site_id = getattr(instance, f"{self.site_field}_id", None)
        return site_id is not None and tenancy.owns_site(site_id)

    def narrow(self, queryset, tenancy):
        return queryset.filter(**{f"{self.site_field}_id__in": tenancy.site_ids})


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


class BannerForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tenancy = tenancy_for(self.for_user) if self.for_user else None
        self.pays_staff = tenancy is None or tenancy.is_pays_staff
        if not self.pays_staff:
            sites = Site.objects.filter(pk__in=tenancy.site_ids)
            self.fields["site"].queryset = sites
            self.fields["site"].required = True
            self.fields["site"].empty_label = None
            self.fields["site"].help_text = ""
            self.fields.pop("epci", None)
            self.fields["level"].choices = [
                c for c in Banner.Level.choices if c[0] != Banner.Level.URGENT
            ]
            self.fields["link_page"].queryset = self.fields["link_page"].queryset.filter(
                tenancy.page_filter()
            )
        elif "epci" in self.fields:
            self.fields["epci"].queryset = Collectivite.objects.filter(kind=Collectivite.Kind.EPCI)

    def clean_level(self):
        level = self.cleaned_data["level"]
        if level == Banner.Level.URGENT and not self.pays_staff:
            raise forms.ValidationError(_("Seule l'équipe du Pays publie les bandeaux urgents."))
        return level


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "warning"
    menu_label = _("Bandeaux")
    menu_order = 150
    add_to_admin_menu = True
    edit_handler = ObjectList(Banner.panels, base_form_class=BannerForm)
    list_display = ["title", "level", "start", "end", "site", "live"]
    list_filter = ["level", "live"]
    search_fields = ["title", "text"]
    search_backend_name = None
    ordering = ["-start"]
    chooser_viewset_class = ScopedChooserViewSet

    @property
    def permission_policy(self):
        return SiteScopedPermissionPolicy(self.model)

    def get_queryset(self, request):
        return scoped_queryset(Banner.objects.select_related("site"), request.user)
