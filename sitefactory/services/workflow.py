"""Provisioning, the moderation workflow: who approves what is published."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    GroupApprovalTask,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from communes.models import CollectiviteGroup
from sitefactory.services.report import CREATED, ProvisioningError


class WorkflowMixin:
    """The workflow of one collectivité; part of the Provisioner (its pays())."""

    def _ensure_workflow(self, c, blueprint, context, home, groups, outcome):
        spec = blueprint.workflow
        if spec is None:
            return
        workflow = Workflow.objects.filter(pk=c.workflow_id).first() if c.workflow_id else None
        if workflow is None:
            workflow = Workflow.objects.create(name=spec.name.format_map(context)[:255])
            task = GroupApprovalTask.objects.create(name=spec.task.format_map(context)[:255])
            task.groups.add(*self._approver_groups(spec, groups))
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            c.workflow = workflow
            outcome.changes.append(f"circuit de validation « {workflow.name} » créé")
        self._ensure_approvers(c, spec, workflow, groups, outcome)
        # The workflow's tasks and approvers are the Pays' to change afterwards; only its
        # attachment to the site is restored.
        # A home page made in this transaction has nothing attached yet.
        home_is_new = outcome.result == CREATED
        if home_is_new or not WorkflowPage.objects.filter(page=home).exists():
            WorkflowPage.objects.create(workflow=workflow, page=home)
            if outcome.result != CREATED:
                outcome.changes.append("circuit de validation rattaché au site")
        for label in spec.snippets:
            content_type = ContentType.objects.get_for_model(apps.get_model(label))
            _link, created = WorkflowContentType.objects.get_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )
            if created and outcome.result != CREATED:
                outcome.changes.append(f"circuit de validation rattaché à {label}")

    def _ensure_snippet_workflows(self, blueprint, context, groups, outcome):
        """Workflows of snippet models alone (the Occitan lexicon's review): found by the
        models they are attached to, else by name, else made with their approval task. As
        for the site's workflow, its tasks and approvers are the Pays' to change afterwards;
        only its attachment to the models is restored."""
        for spec in blueprint.snippet_workflows:
            name = spec.name.format_map(context)[:255]
            content_types = [
                ContentType.objects.get_for_model(apps.get_model(label)) for label in spec.snippets
            ]
            link = WorkflowContentType.objects.filter(content_type__in=content_types).first()
            workflow = link.workflow if link else Workflow.objects.filter(name=name).first()
            if workflow is None:
                workflow = Workflow.objects.create(name=name)
                task = GroupApprovalTask.objects.create(name=spec.task.format_map(context)[:255])
                task.groups.add(*(groups[key] for key in spec.approvers))
                WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
                outcome.changes.append(f"circuit de validation « {workflow.name} » créé")
            for content_type in content_types:
                _link, created = WorkflowContentType.objects.get_or_create(
                    content_type=content_type, defaults={"workflow": workflow}
                )
                if created and outcome.result != CREATED:
                    label = f"{content_type.app_label}.{content_type.model}"
                    outcome.changes.append(f"circuit « {workflow.name} » rattaché à {label}")

    def _ensure_approvers(self, c, spec, workflow, groups, outcome):
        """The Pays may hand approval to a commune's élus (Collectivite.approval_by_elus)."""
        if "elus" not in groups:
            return
        task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
        if task is None:
            return
        current = set(task.groups.values_list("pk", flat=True))
        if c.approval_by_elus:
            wanted = {groups["elus"].pk}
        elif groups["elus"].pk in current:
            wanted = {g.pk for g in self._approver_groups(spec, groups)}
        else:
            return
        if current != wanted:
            task.groups.set(wanted)
            who = "élus" if c.approval_by_elus else "équipe du Pays"
            outcome.changes.append(f"validation confiée : {who}")

    def _approver_groups(self, spec, own_groups):
        result = []
        for ref in spec.approvers:
            if ref.startswith("pays:"):
                role = ref.split(":", 1)[1]
                if role not in self._pays_groups:
                    link = CollectiviteGroup.objects.filter(collectivite=self.pays(), role=role)
                    link = link.select_related("group").first()
                    if link is None:
                        raise ProvisioningError(
                            f"le groupe « {role} » du Pays n'existe pas : "
                            "provisionnez d'abord le Pays"
                        )
                    self._pays_groups[role] = link.group
                result.append(self._pays_groups[role])
            elif ref in own_groups:
                result.append(own_groups[ref])
            else:
                raise ProvisioningError(f"valideurs inconnus « {ref} »")
        return result
