"""Provisioning, the groups of a collectivité and their permissions."""

from django.contrib.auth.models import Group
from django.db import connection
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from communes.models import CollectiviteGroup
from sitefactory.services.report import CREATED


class GroupsMixin:
    """The groups of one collectivité; part of the Provisioner (its permission())."""

    def _ensure_groups(self, c, blueprint, context, home, collection, outcome) -> dict:
        links = {
            link.role: link.group
            for link in CollectiviteGroup.objects.filter(collectivite=c).select_related("group")
        }
        names = {spec.key: spec.name.format_map(context)[:150] for spec in blueprint.groups}
        taken = set(Group.objects.filter(name__in=names.values()).values_list("name", flat=True))
        groups, new = {}, []
        for spec in blueprint.groups:
            name = names[spec.key]
            group = links.get(spec.key)
            if group is None:
                group = Group(name=new_group_name(name, c, taken))
                new.append(spec.key)
            elif group.name != name and name not in taken:
                taken.discard(group.name)
                group.name = name
                group.save(update_fields=["name"])
            taken.add(group.name)
            groups[spec.key] = group
        if new:
            bulk_create_with_pks(Group, [groups[key] for key in new])
            CollectiviteGroup.objects.bulk_create(
                [CollectiviteGroup(collectivite=c, role=key, group=groups[key]) for key in new]
            )
        insert_permission_rows(
            self._group_permission_rows(blueprint, groups, new, home, collection, outcome)
        )
        return groups

    def _group_permission_rows(self, blueprint, groups, new, home, collection, outcome):
        """All the groups' permission rows: what the existing groups lack, and all of it for
        the new ones; (page rows, collection rows, plain rows), to insert_permission_rows()."""
        old_ids = [g.pk for key, g in groups.items() if key not in new]
        have_page, have_coll = set(), set()
        if old_ids:
            have_page = set(
                GroupPagePermission.objects.filter(group__in=old_ids, page=home).values_list(
                    "group_id", "permission_id"
                )
            )
            have_coll = set(
                GroupCollectionPermission.objects.filter(group__in=old_ids).values_list(
                    "group_id", "collection_id", "permission_id"
                )
            )
        page_rows, coll_rows, plain_rows = [], [], []
        for spec in blueprint.groups:
            group = groups[spec.key]
            if spec.key in new:
                outcome.changes.append(f"groupe « {group.name} » créé")
            page_perms = {self.permission(f"wagtailcore.{n}") for n in spec.page_permissions}
            missing = [p for p in page_perms if (group.pk, p.pk) not in have_page]
            page_rows += [
                GroupPagePermission(group=group, page=home, permission=p) for p in missing
            ]
            target = self.root_collection() if spec.collection == "root" else collection
            coll_perms = {self.permission(label) for label in spec.collection_permissions}
            missing_coll = [p for p in coll_perms if (group.pk, target.pk, p.pk) not in have_coll]
            coll_rows += [
                GroupCollectionPermission(group=group, collection=target, permission=p)
                for p in missing_coll
            ]
            plain_rows += [
                Group.permissions.through(group_id=group.pk, permission_id=perm.pk)
                for perm in (self.permission(label) for label in spec.permissions)
            ]
            if (missing or missing_coll) and outcome.result != CREATED:
                outcome.changes.append(f"permissions du groupe « {group.name} » complétées")
        return page_rows, coll_rows, plain_rows


def new_group_name(name, c, taken):
    """A group's name is unique: a second commune of the same name adds its code."""
    return name if name not in taken else f"{name} ({c.code})"[:150]


def insert_permission_rows(rows):
    page_rows, coll_rows, plain_rows = rows
    GroupPagePermission.objects.bulk_create(page_rows)
    GroupCollectionPermission.objects.bulk_create(coll_rows)
    # Like group.permissions.add(): what is already there stays as it is.
    Group.permissions.through.objects.bulk_create(plain_rows, ignore_conflicts=True)


def bulk_create_with_pks(model, objs):
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objs)
    else:
        for obj in objs:
            obj.save()
