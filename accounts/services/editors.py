"""The editors of a collectivité (its secretariat and its élus), and what the Pays team does
to their accounts: suspend, reactivate, move to another collectivité. Every action is logged
against the collectivité (Wagtail's ModelLogEntry: its history, and the editors page).

Who may act: the Pays team (communes.tenancy) or a superuser, or nobody at all (`actor` None:
a management command, run by whoever holds the server). On whom: editors only — never a
superuser, nor a member of one of the Pays' own groups, nor an account with permissions of
its own: those are a superuser's business, in Wagtail's Utilisateurs and Groupes.
Accounts are never deleted: a suspended editor's pages, revisions and submissions stay.
"""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from communes.models import Collectivite, CollectiviteGroup
from communes.tenancy import tenancy_for

EDITOR_ROLES = ("secretariat", "elus")
ACTION_PREFIX = "bastide.accounts."
INVITE = ACTION_PREFIX + "invite"
ADD = ACTION_PREFIX + "add"
ACCEPT = ACTION_PREFIX + "accept"
SUSPEND = ACTION_PREFIX + "suspend"
REACTIVATE = ACTION_PREFIX + "reactivate"
MOVE_OUT = ACTION_PREFIX + "move_out"
MOVE_IN = ACTION_PREFIX + "move_in"
HAND_OVER = ACTION_PREFIX + "hand_over"


class AccountError(Exception):
    """A refusal, in French, to show as it is."""


def check_actor(actor):
    """Only the Pays team and superusers (or a command: None) manage editors."""
    if actor is not None and not tenancy_for(actor).is_pays_staff:
        raise PermissionDenied


def editor_group(collectivite, role):
    """The group of `role` of a collectivité other than the Pays, or AccountError."""
    if role not in EDITOR_ROLES:
        raise AccountError(_("Rôle inconnu : choisissez secrétariat ou élus."))
    if collectivite.kind == Collectivite.Kind.PAYS:
        raise AccountError(
            _("Les comptes de l'équipe du Pays ne sont créés que par un superutilisateur.")
        )
    link = (
        CollectiviteGroup.objects.filter(collectivite=collectivite, role=role)
        .select_related("group")
        .first()
    )
    if link is None:
        raise AccountError(
            _("%(name)s n'a pas encore de groupe « %(role)s » : provisionnez son site d'abord.")
            % {"name": collectivite.name, "role": role}
        )
    return link.group


def is_editor_account(user):
    """Whether the Pays team may act on this account: an editor, nothing more."""
    if user.is_superuser or user.is_staff or user.user_permissions.exists():
        return False
    return not CollectiviteGroup.objects.filter(
        group__user=user, collectivite__kind=Collectivite.Kind.PAYS
    ).exists()


def roles_of(user, collectivite):
    return list(
        CollectiviteGroup.objects.filter(
            collectivite=collectivite, role__in=EDITOR_ROLES, group__user=user
        ).values_list("role", flat=True)
    )


def editor_of(collectivite, user_id):
    """The editor `user_id` of the collectivité (suspended ones included), or AccountError."""
    user = (
        get_user_model()
        .objects.filter(
            pk=user_id,
            groups__collectivite_link__collectivite=collectivite,
            groups__collectivite_link__role__in=EDITOR_ROLES,
        )
        .first()
    )
    if user is None:
        raise AccountError(_("Ce compte n'est pas un éditeur de cette collectivité."))
    if not is_editor_account(user):
        raise AccountError(_("Ce compte ne peut être modifié que par un superutilisateur."))
    return user


def editors(collectivite):
    """[(user, [roles])] of the collectivité's secretariat and élus, by name."""
    links = CollectiviteGroup.objects.filter(collectivite=collectivite, role__in=EDITOR_ROLES)
    roles = {}
    memberships = get_user_model().groups.through.objects.filter(group__collectivite_link__in=links)
    for user_id, role in memberships.values_list("user_id", "group__collectivite_link__role"):
        roles.setdefault(user_id, []).append(role)
    users = get_user_model().objects.filter(pk__in=roles).order_by("last_name", "username")
    return [(user, sorted(roles[user.pk])) for user in users]


def history(collectivite, limit=50):
    """The account actions logged against the collectivité, newest first."""
    return (
        ModelLogEntry.objects.for_instance(collectivite)
        .filter(action__startswith=ACTION_PREFIX)
        .select_related("user")
        .order_by("-timestamp")[:limit]
    )


def record(collectivite, action, actor, **data):
    log(instance=collectivite, action=action, user=actor, data=data)


def end_sessions(user):
    """Log the user out everywhere: delete the sessions that name her (the database
    backend; sessions last a working day, so the table is small)."""
    key = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == key
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _account(user):
    return {"user_id": user.pk, "username": user.get_username(), "email": user.email}


@transaction.atomic
def suspend(collectivite, user, actor=None, reason=""):
    """Suspend now: no login, and the open sessions end (the next request is logged out)."""
    check_actor(actor)
    user = editor_of(collectivite, user.pk)
    if not user.is_active:
        raise AccountError(_("Ce compte est déjà suspendu."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions(user)
    record(collectivite, SUSPEND, actor, reason=reason, **_account(user))
    return user


@transaction.atomic
def reactivate(collectivite, user, actor=None):
    check_actor(actor)
    user = editor_of(collectivite, user.pk)
    if user.is_active:
        raise AccountError(_("Ce compte est déjà actif."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(collectivite, REACTIVATE, actor, **_account(user))
    return user


@transaction.atomic
def move(collectivite, user, target, role, actor=None):
    """From the collectivité's editor groups to the `role` group of `target`."""
    check_actor(actor)
    user = editor_of(collectivite, user.pk)
    if target.pk == collectivite.pk:
        raise AccountError(_("Choisissez une autre collectivité."))
    new_group = editor_group(target, role)
    old = CollectiviteGroup.objects.filter(
        collectivite=collectivite, role__in=EDITOR_ROLES
    ).values_list("group_id", flat=True)
    user.groups.remove(*list(old))
    user.groups.add(new_group)
    record(collectivite, MOVE_OUT, actor, to=target.name, role=role, **_account(user))
    record(target, MOVE_IN, actor, **{"from": collectivite.name}, role=role, **_account(user))
    return user
