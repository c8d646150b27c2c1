"""The factory in the admin: actions on the Collectivités listing, the provisioning journal,
and the 410 of archived sites."""

import re
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks.base import TaskResultStatus
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import DateColumn, UserColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from communes.models import Collectivite
from communes.viewsets import JournalPermissionPolicy
from sitefactory.models import ProvisioningLog
from sitefactory.services.blueprints import BlueprintError, available_blueprints, load_blueprint
from sitefactory.services.lifecycle import (
    ARCHIVE_ACTION,
    RESTORE_ACTION,
    LifecycleError,
    archive,
    archived_name_for_page,
    restore,
)
from sitefactory.tasks import provision_collectivites
from sitefactory.views import archived_site

CHANGE_PERMISSION = "communes.change_collectivite"

# -- archived sites ----------------------------------------------------------------------------


@hooks.register("before_serve_page")
def answer_gone_for_archived_pages(page, request, serve_args, serve_kwargs):
    """A page of an archived site that is live again (an editor published it) stays gone,
    whatever hostname it is reached by (the portal's /communes/<slug>/ too)."""
    name = archived_name_for_page(page)
    if name is not None:
        return archived_site(request, name)
    return None


@hooks.register("register_log_actions")
def register_lifecycle_log_actions(actions):
    actions.register_action(
        ARCHIVE_ACTION, _("Archivage du site"), _("Mise hors ligne : site archivé")
    )
    actions.register_action(
        RESTORE_ACTION, _("Restauration du site"), _("Remise en ligne : site restauré")
    )


# -- bulk actions on the Collectivités listing ------------------------------------------------


class CollectiviteBulkAction(SnippetBulkAction):
    models = [Collectivite]
    template_name = "sitefactory/bulk_actions/confirm.html"
    question = ""
    button_label = ""

    def check_perm(self, obj):
        return self.request.user.has_perm(CHANGE_PERMISSION)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(question=self.question, button_label=self.button_label)
        return context

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}


class BlueprintForm(forms.Form):
    blueprint = forms.ChoiceField(label=_("Modèle de site"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Le modèle habituel de chaque collectivité"))]
        for name in available_blueprints():
            try:
                choices.append((name, f"{load_blueprint(name).label} ({name})"))
            except BlueprintError:
                continue  # a broken blueprint is reported by the provision command
        self.fields["blueprint"].choices = choices


SUMMARY_LABELS = {
    "created": _("créées"),
    "updated": _("mises à jour"),
    "unchanged": _("inchangées"),
    "failed": _("en échec"),
}


class ProvisionBulkAction(CollectiviteBulkAction):
    display_name = _("Provisionner")
    action_type = "provision"
    aria_label = _("Provisionner les collectivités sélectionnées")
    action_priority = 10
    question = _(
        "Créer le site de ces collectivités, ou le mettre à jour d'après leur modèle ? "
        "Les pages modifiées par un éditeur sont conservées."
    )
    button_label = _("Oui, provisionner")

    def get_execution_context(self):
        return {**super().get_execution_context(), "blueprint": self.chosen_blueprint()}

    def chosen_blueprint(self):
        return None

    @classmethod
    def execute_action(cls, objects, user=None, blueprint=None, **kwargs):
        action = kwargs["self"]
        ids = [c.pk for c in objects]
        action.started_at = timezone.now()
        # Through the task queue: inline with the immediate backend, in the background
        # with a worker, and the request does not care which.
        action.task_result = provision_collectivites.enqueue(
            ids, blueprint, user.pk if user else None
        )
        action.ids = ids
        return len(ids), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        result = self.task_result
        if result.status == TaskResultStatus.FAILED:
            messages.error(
                self.request,
                _("Le provisionnement a échoué (%(error)s) ; rien n'a été journalisé.")
                % {"error": result.errors[-1].exception_class_path if result.errors else "?"},
            )
            return None
        if result.status != TaskResultStatus.SUCCESSFUL:
            return ngettext(
                "Provisionnement de %(count)d collectivité lancé : le journal de "
                "provisionnement dira ce qui a été fait.",
                "Provisionnement de %(count)d collectivités lancé : le journal de "
                "provisionnement dira ce qui a été fait.",
                num_parent_objects,
            ) % {"count": num_parent_objects}
        failures = ProvisioningLog.objects.filter(
            collectivite_id__in=self.ids,
            result=ProvisioningLog.Result.FAILED,
            created_at__gte=self.started_at,
        ).select_related("collectivite")
        for log in failures:
            messages.error(self.request, f"{log.collectivite} : {log.details}")
        return _("Provisionnement terminé : %(summary)s.") % {
            "summary": french_summary(result.return_value)
        }


def french_summary(summary: str) -> str:
    counts = re.findall(r"(created|updated|unchanged|failed) (\d+)", summary or "")
    if not counts:
        return summary
    return ", ".join(f"{count} {SUMMARY_LABELS[key]}" for key, count in counts)


class ReprovisionBulkAction(ProvisionBulkAction):
    display_name = _("Re-provisionner avec le modèle…")
    action_type = "reprovision"
    aria_label = _("Re-provisionner les collectivités sélectionnées avec un autre modèle")
    action_priority = 20
    form_class = BlueprintForm
    question = _(
        "Re-provisionner ces collectivités avec le modèle choisi ? Les pages que le modèle "
        "ajoute sont créées ; les pages modifiées par un éditeur sont conservées."
    )
    button_label = _("Oui, re-provisionner")

    def chosen_blueprint(self):
        return self.cleaned_form.cleaned_data.get("blueprint") or None


class LifecycleBulkAction(CollectiviteBulkAction):
    service = None

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        action = kwargs["self"]
        action.failures = []
        changed = 0
        for collectivite in objects:
            try:
                outcome = cls.service(collectivite, user=user)
            except LifecycleError as exc:
                action.failures.append(str(exc))
                continue
            changed += outcome.changed
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        for failure in self.failures:
            messages.error(self.request, failure)
        return self.done_message(num_parent_objects) if num_parent_objects else None


class ArchiveBulkAction(LifecycleBulkAction):
    display_name = _("Archiver")
    action_type = "archive"
    aria_label = _("Archiver les collectivités sélectionnées")
    action_priority = 30
    classes = {"serious"}
    service = staticmethod(archive)
    question = _(
        "Mettre hors ligne le site de ces collectivités ? Toutes les pages sont conservées "
        "et le site pourra être restauré tel quel ; en attendant, son adresse répond "
        "« Ce site est archivé »."
    )
    button_label = _("Oui, archiver")

    def done_message(self, count):
        return ngettext("%(count)d site archivé.", "%(count)d sites archivés.", count) % {
            "count": count
        }


class RestoreBulkAction(LifecycleBulkAction):
    display_name = _("Restaurer")
    action_type = "restore"
    aria_label = _("Restaurer les collectivités sélectionnées")
    action_priority = 40
    service = staticmethod(restore)
    question = _(
        "Remettre en ligne le site de ces collectivités, avec les pages qui étaient en "
        "ligne au moment de l'archivage ?"
    )
    button_label = _("Oui, restaurer")

    def done_message(self, count):
        return ngettext("%(count)d site restauré.", "%(count)d sites restaurés.", count) % {
            "count": count
        }


for action_class in (
    ProvisionBulkAction,
    ReprovisionBulkAction,
    ArchiveBulkAction,
    RestoreBulkAction,
):
    hooks.register("register_bulk_action", action_class)


def bulk_action_url(action_type, collectivite, next_url):
    url = reverse("wagtail_bulk_action", args=("communes", "collectivite", action_type))
    return f"{url}?{urlencode({'id': collectivite.pk, 'next': next_url or ''})}"


@hooks.register("register_snippet_listing_buttons")
def collectivite_listing_buttons(snippet, user, next_url=None):
    """The same actions, one collectivité at a time, from its row's menu."""
    if not isinstance(snippet, Collectivite) or not user.has_perm(CHANGE_PERMISSION):
        return []
    status = Collectivite.Status
    buttons = []
    if snippet.status != status.ARCHIVED:
        label = _("Provisionner") if snippet.status == status.TO_PROVISION else _("Mettre à jour")
        buttons.append(
            Button(label, bulk_action_url("provision", snippet, next_url), icon_name="cogs")
        )
    if snippet.status == status.PROVISIONED and not snippet.is_pays:
        buttons.append(
            Button(_("Archiver"), bulk_action_url("archive", snippet, next_url), icon_name="lock")
        )
    if snippet.status == status.ARCHIVED:
        buttons.append(
            Button(
                _("Restaurer"), bulk_action_url("restore", snippet, next_url), icon_name="rotate"
            )
        )
    return buttons


# -- the provisioning journal -----------------------------------------------------------------


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


class ProvisioningLogViewSet(ModelViewSet):
    model = ProvisioningLog
    index_view_class = ProvisioningLogIndexView
    inspect_view_class = ProvisioningLogInspectView
    icon = "history"
    menu_label = _("Journal de provisionnement")
    menu_name = "provisioning-log"
    add_to_admin_menu = True
    menu_order = 151
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    list_display = [
        "collectivite",
        "blueprint",
        "result",
        "details",
        UserColumn("user", label=FIELD_LABELS["user"], blank_display_name=_("ligne de commande")),
        DateColumn("created_at", label=_("Date"), sort_key="created_at"),
    ]
    list_filter = ["result"]
    search_fields = ["collectivite__name", "collectivite__code", "details"]
    search_backend_name = None
    inspect_view_fields = ["collectivite", "blueprint", "result", "details", "user", "created_at"]

    @property
    def permission_policy(self):
        # Read-only, for whoever manages the registry: the journal is written by the factory.
        return JournalPermissionPolicy(self.model, CHANGE_PERMISSION)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=ProvisioningLog.objects.select_related("collectivite", "user"), **kwargs
        )

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_provisioning_log_viewset():
    return ProvisioningLogViewSet("provisioning_log")
