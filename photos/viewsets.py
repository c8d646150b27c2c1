"""The residents' photos in the admin, the Pays team's alone: read, see the photo (through
a staff-only view, the files have no public URL), accept or refuse, export the accepted ones
for Wikimedia Commons."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from communes.permissions import PaysTeamPolicy
from photos.models import PhotoSubmission


class SubmissionPolicy(PaysTeamPolicy):
    """Submissions come from the public form only: the Pays team decides, never writes one."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class SubmissionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("collectivite")

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Exporter les photos acceptées pour Commons (ZIP)"),
                url=reverse("photos_commons_batch"),
                icon_name="download",
            ),
        ]


class PhotoSubmissionViewSet(ModelViewSet):
    model = PhotoSubmission
    icon = "image"
    menu_label = _("Photos proposées")
    menu_name = "photos-submissions"
    menu_order = 260
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = SubmissionIndexView
    inspect_template_name = "photos/admin/submission_inspect.html"
    list_display = ["title", "commune_name", "author_name", "licence", "status", "created_at"]
    list_filter = ["status", "licence"]
    search_fields = ["title", "description", "author_name", "email"]
    search_backend_name = None
    form_fields = ["status"]
    inspect_view_fields = [
        "collectivite",
        "title",
        "description",
        "taken_on",
        "author_name",
        "email",
        "licence",
        "status",
        "created_at",
        "decided_at",
        "width",
        "height",
    ]

    @property
    def permission_policy(self):
        return SubmissionPolicy(self.model)
