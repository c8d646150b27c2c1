"""Wagtail permission policies that know the tenancy (communes.tenancy).

Wagtail's snippet and model permissions are per model: anyone who may edit banners may edit
all of them. The scoped policies add the missing rule: outside the Pays team, only the
objects within one's reach, through every view of a viewset (listing, edit, delete,
history, usage, chooser). communes.reach, which the admin guard asks about every object id,
trusts a viewset whose policy is a ScopedPermissionPolicy to say what is in reach.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from communes.tenancy import tenancy_for

# Whoever manages the registry: the Collectivités listing, its import and the factory.
CHANGE_PERMISSION = "communes.change_collectivite"


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


class PaysTeamPolicy(ModelPermissionPolicy):
    """The Pays team's alone: a secretary never sees the model's views."""

    def user_has_permission(self, user, action):
        return user.is_active and tenancy_for(user).is_pays_staff

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).none()


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
    """Objects of one site (banners): outside the Pays team, those of one's own sites."""

    site_field = "site"

    def in_reach(self, tenancy, instance):
        site_id = getattr(instance, f"{self.site_field}_id", None)
        return site_id is not None and tenancy.owns_site(site_id)

    def narrow(self, queryset, tenancy):
        return queryset.filter(**{f"{self.site_field}_id__in": tenancy.site_ids})


class CommuneScopedPermissionPolicy(ScopedPermissionPolicy):
    """Objects of one collectivité (directory entries): outside the Pays team, only those
    of one's own collectivités."""

    def in_reach(self, tenancy, instance):
        return instance.commune_id in tenancy.collectivite_ids

    def narrow(self, queryset, tenancy):
        return queryset.filter(commune_id__in=tenancy.collectivite_ids)
