"""Admin views of the provisioning journal (sitefactory.viewsets)."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import IndexView, InspectView

# The model's two foreign keys have no French verbose_name.
FIELD_LABELS = {"collectivite": _("Collectivité"), "user": _("Par")}


class ProvisioningLogIndexView(IndexView):
    @cached_property
    def columns(self):
        columns = super().columns
        columns[0].label = FIELD_LABELS["collectivite"]
        return columns


class ProvisioningLogInspectView(InspectView):
    def get_field_label(self, field_name, field):
        return FIELD_LABELS.get(field_name) or super().get_field_label(field_name, field)

    def get_user_display_value(self):
        return self.object.user or _("ligne de commande")
