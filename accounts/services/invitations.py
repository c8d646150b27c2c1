"""Inviting an editor (a secretary, an élu) by email, and accepting the invitation.

The link carries a random token; only its SHA-256 is stored, so the table alone opens no
account. It is used once, before settings.ACCOUNTS_INVITATION_DAYS have passed. An address
that already has an account is not invited: that account is added to the group, and told so.
A hand-over is an invitation that `replaces` the leaver: she is suspended when her successor
accepts (or at once, if the Pays team asks).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Invitation
from accounts.services import editors
from accounts.services.editors import AccountError

UNKNOWN, EXPIRED, USED, VALID = "unknown", "expired", "used", "valid"


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("accounts_invitation", args=[token])


@dataclass
class Outcome:
    invitation: Invitation | None = None  # a new invitation was sent
    user: object = None  # or an existing account was added to the group


def _send(subject, template, context, to):
    context = {**context, "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"}
    message = EmailMultiAlternatives(
        subject, render_to_string(f"accounts/emails/{template}.txt", context), to=[to]
    )
    message.attach_alternative(
        render_to_string(f"accounts/emails/{template}.html", context), "text/html"
    )
    message.send()


def _existing_account(email):
    users = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(users) > 1:
        raise AccountError(
            _("Plusieurs comptes portent l'adresse %(email)s : un superutilisateur doit trancher.")
            % {"email": email}
        )
    return users[0] if users else None


@transaction.atomic
def invite(collectivite, email, role, actor=None, replaces=None):
    """Invite `email` into the `role` group of the collectivité (see the module)."""
    editors.check_actor(actor)
    group = editors.editor_group(collectivite, role)
    email = get_user_model().objects.normalize_email(email.strip())
    if not email or "@" not in email:
        raise AccountError(_("Saisissez une adresse électronique valide."))
    context = {"collectivite": collectivite, "role": Invitation.Role(role).label, "actor": actor}
    existing = _existing_account(email)
    if existing is not None:
        if replaces is not None and existing.pk == replaces.pk:
            raise AccountError(_("Le successeur doit avoir une autre adresse que le partant."))
        existing.groups.add(group)
        editors.record(
            collectivite, editors.ADD, actor, role=role, active=existing.is_active,
            user_id=existing.pk, username=existing.get_username(), email=email,
        )  # fmt: skip
        if replaces is not None:
            editors.suspend(collectivite, replaces, actor, reason="hand-over")
        _send(
            _("Vous pouvez maintenant modifier le site de %(name)s") % {"name": collectivite.name},
            "added",
            {**context, "user": existing},
            email,
        )
        return Outcome(user=existing)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        collectivite=collectivite,
        role=role,
        token_hash=_hash(token),
        invited_by=actor,
        replaces=replaces,
        expires_at=timezone.now() + timedelta(days=settings.ACCOUNTS_INVITATION_DAYS),
    )
    editors.record(collectivite, editors.INVITE, actor, role=role, email=email)
    _send(
        _("Invitation à modifier le site de %(name)s") % {"name": collectivite.name},
        "invitation",
        {**context, "url": invitation_url(token), "invitation": invitation},
        email,
    )
    return Outcome(invitation=invitation)


@transaction.atomic
def hand_over(collectivite, leaver, email, actor=None, immediately=False):
    """Invite a successor with the leaver's role; suspend the leaver now or on acceptance."""
    editors.check_actor(actor)
    leaver = editors.editor_of(collectivite, leaver.pk)
    role = editors.roles_of(leaver, collectivite)[0]
    editors.record(
        collectivite, editors.HAND_OVER, actor, role=role, successor=email,
        immediately=immediately, user_id=leaver.pk, username=leaver.get_username(),
    )  # fmt: skip
    if immediately and leaver.is_active:
        editors.suspend(collectivite, leaver, actor, reason="hand-over")
    return invite(collectivite, email, role, actor, replaces=None if immediately else leaver)


def find(token):
    """(state, invitation): UNKNOWN (None), EXPIRED, USED or VALID."""
    invitation = (
        Invitation.objects.filter(token_hash=_hash(token or ""))
        .select_related("collectivite")
        .first()
    )
    if invitation is None:
        return UNKNOWN, None
    if invitation.is_used:
        return USED, invitation
    if invitation.is_expired:
        return EXPIRED, invitation
    return VALID, invitation


def suggested_username(email):
    return email.split("@", 1)[0][:150]


@transaction.atomic
def accept(token, username, password):
    """Create the account, put it in the group, close the invitation; returns the user.
    AccountError when the token is no longer valid (used meanwhile, expired)."""
    state, invitation = find(token)
    if state != VALID:
        raise AccountError(_("Cette invitation n'est plus valable."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_used:
        raise AccountError(_("Cette invitation a déjà servi."))
    collectivite = invitation.collectivite
    group = editors.editor_group(collectivite, invitation.role)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("Cet identifiant est déjà pris : choisissez-en un autre."))
    user = User.objects.create_user(username=username, email=invitation.email, password=password)
    user.groups.add(group)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    editors.record(
        collectivite, editors.ACCEPT, invitation.invited_by, role=invitation.role,
        user_id=user.pk, username=username, email=invitation.email,
    )  # fmt: skip
    leaver = invitation.replaces
    if (
        leaver is not None
        and leaver.is_active
        and editors.is_editor_account(leaver)
        and editors.roles_of(leaver, collectivite)
    ):
        editors.suspend(collectivite, leaver, None, reason="hand-over")
    return user
