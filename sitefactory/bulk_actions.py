"""The factory's actions on the Collectivités listing: provision (or re-provision with
another blueprint), archive and restore, on a selection or one row at a time."""

import re
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks.base import TaskResultStatus
from wagtail.admin import messages
from wagtail.admin.widgets import Button
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from communes.models import Collectivite
from communes.permissions import CHANGE_PERMISSION
from sitefactory.forms import BlueprintForm
from sitefactory.models import ProvisioningLog
from sitefactory.services.lifecycle import LifecycleError, archive, restore
from sitefactory.tasks import provision_collectivites


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


def bulk_action_url(action_type, collectivite, next_url):
    url = reverse("wagtail_bulk_action", args=("communes", "collectivite", action_type))
    return f"{url}?{urlencode({'id': collectivite.pk, 'next': next_url or ''})}"


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
