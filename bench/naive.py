"""The measuring stick: the same provisioning written with plain Wagtail APIs, one call per object.

Pages go in with page.add_child(), so treebeard computes each path and Wagtail's signal
handlers index each page for search and references as it is saved. Groups, permissions and
the workflow are created one row at a time. Not product code: bench/provision.py compares
Bastide's factory with it.

It does what makes a working site (pages, site, collection, groups and permissions,
workflow, the registry row), but not the factory's own bookkeeping (ProvisionedPage
fingerprints, log), which only flatters the naive figures.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from communes.models import Collectivite, CollectiviteGroup
from sitefactory.services.blueprints import blueprint_for, hostname_for, placeholders


class NaiveProvisioner:
    def __init__(self, settings):
        self.settings = settings
        self.permissions = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type")
        }
        self.pays = Collectivite.objects.get(kind=Collectivite.Kind.PAYS)
        self.pays_page_ids = {}
        self.pays_groups = {}

    def provision(self, c: Collectivite):
        blueprint = blueprint_for(c)
        context = placeholders(c, self.pays.name)
        with transaction.atomic():
            home, pages = self.add_pages(c, blueprint, context)
            site = self.add_site(c, home)
            collection = Collection.get_first_root_node().add_child(
                instance=Collection(name=c.name)
            )
            groups = self.add_groups(c, blueprint, context, home, collection)
            workflow = self.add_workflow(c, blueprint, context, home, groups)
            c.status = Collectivite.Status.PROVISIONED
            c.hostname = site.hostname
            c.site = site
            c.home_page = home
            c.collection = collection
            c.workflow = workflow
            c.provisioned_blueprint = blueprint.name
            c.provisioned_at = timezone.now()
            c.save()
        if c.is_pays:
            self.pays_page_ids = {key: page.pk for key, page in pages.items()}
            self.pays_groups = groups

    def add_pages(self, c, blueprint, context):
        if blueprint.parent == "root":
            parent = Page.get_first_root_node()
        else:
            parent = Page.objects.get(pk=self.pays_page_ids[blueprint.parent.split(":", 1)[1]])
        rendered = blueprint.home.render(context)
        home = rendered.build()
        home.slug = c.slug
        parent.add_child(instance=home)
        self.add_inlines(rendered, home)
        pages = {"home": home}
        for spec in blueprint.pages:
            rendered = spec.render(context)
            page = rendered.build()
            pages[spec.parent].add_child(instance=page)
            self.add_inlines(rendered, page)
            pages[spec.key] = page
        return home, pages

    @staticmethod
    def add_inlines(rendered, page):
        """Child rows (opening hours, form fields...), saved one by one."""
        for obj in rendered.inline_objects(page):
            obj.save()

    def add_site(self, c, home):
        values = {
            "hostname": hostname_for(c),
            "port": self.settings.SITE_PORT,
            "root_page": home,
            "site_name": c.name,
            "is_default_site": c.is_pays,
        }
        if not c.is_pays:
            return Site.objects.create(**values)
        site = Site.objects.get(is_default_site=True)
        welcome = site.root_page
        for name, value in values.items():
            setattr(site, name, value)
        site.save()
        if welcome.pk != home.pk and welcome.depth == 2 and welcome.numchild == 0:
            welcome.delete()
        return site

    def add_groups(self, c, blueprint, context, home, collection):
        root_collection = Collection.get_first_root_node()
        groups = {}
        for spec in blueprint.groups:
            name = spec.name.format_map(context)[:150]
            if Group.objects.filter(name=name).exists():
                name = f"{name} ({c.code})"[:150]
            group = Group.objects.create(name=name)
            CollectiviteGroup.objects.create(collectivite=c, role=spec.key, group=group)
            for codename in spec.page_permissions:
                GroupPagePermission.objects.create(
                    group=group, page=home, permission=self.permissions[f"wagtailcore.{codename}"]
                )
            target = root_collection if spec.collection == "root" else collection
            for label in spec.collection_permissions:
                GroupCollectionPermission.objects.create(
                    group=group, collection=target, permission=self.permissions[label]
                )
            for label in spec.permissions:
                group.permissions.add(self.permissions[label])
            groups[spec.key] = group
        return groups

    def add_workflow(self, c, blueprint, context, home, groups):
        spec = blueprint.workflow
        if spec is None:
            return None
        workflow = Workflow.objects.create(name=spec.name.format_map(context)[:255])
        task = GroupApprovalTask.objects.create(name=spec.task.format_map(context)[:255])
        if c.approval_by_elus and "elus" in groups:
            task.groups.add(groups["elus"])
        else:
            for ref in spec.approvers:
                if ref.startswith("pays:"):
                    task.groups.add(self.pays_groups[ref.split(":", 1)[1]])
                else:
                    task.groups.add(groups[ref])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=home)
        for label in spec.snippets:
            content_type = ContentType.objects.get_for_model(apps.get_model(label))
            WorkflowContentType.objects.get_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )
        return workflow
