"""Demo accounts. Only `make demo` / `make seed` call this; production settings never do."""

import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from communes.models import Collectivite, CollectiviteGroup

PAYS_USERNAME = "pays"
# The Occitan partners (docs/occitan.md): one writer, one reviewer, by the role of their group.
PARTNER_ROLES = ("occitan-redaction", "occitan-relecture")


@dataclass
class DemoAccounts:
    pays_password: str
    secretary_password: str
    secretaries: list[str]
    partners: list[str] = field(default_factory=list)


def _password(given):
    return given or secrets.token_urlsafe(9)


@transaction.atomic
def create_demo_accounts(password: str | None = None) -> DemoAccounts:
    """The Pays staff user `pays` and a secretary `secretaire-<slug>` per collectivité.

    Passwords are reset on every run so the ones printed are always the right ones. The
    secretaries share one password, hashed once: hashing 160 passwords would take a minute.
    """
    User = get_user_model()
    pays = Collectivite.objects.filter(kind=Collectivite.Kind.PAYS).first()
    if pays is None:
        raise ValueError("Le registre n'a pas de Pays : lancez load_registry puis provision.")
    pays_password = _password(password)
    secretary_password = _password(password)
    pays_user, _ = User.objects.update_or_create(
        username=PAYS_USERNAME,
        defaults={
            "first_name": "Équipe",
            "last_name": "du Pays",
            "email": "pays@example.org",
            "is_staff": True,
            "is_active": True,
        },
    )
    pays_user.set_password(pays_password)
    pays_user.save()
    team = CollectiviteGroup.objects.filter(collectivite=pays, role="equipe").first()
    if team:
        pays_user.groups.add(team.group)

    encoded = make_password(secretary_password)
    links = (
        CollectiviteGroup.objects.filter(role="secretariat")
        .exclude(collectivite__kind=Collectivite.Kind.PAYS)
        .select_related("collectivite", "group")
        .order_by("collectivite__name")
    )
    usernames = []
    existing = {u.username: u for u in User.objects.filter(username__startswith="secretaire-")}
    new_users, memberships = [], []
    for link in links:
        username = f"secretaire-{link.collectivite.slug}"[:150]
        usernames.append(username)
        user = existing.get(username)
        if user is None:
            user = User(
                username=username,
                first_name="Secrétariat",
                last_name=link.collectivite.name[:150],
                email=f"mairie@{link.collectivite.hostname or 'example.org'}",
                is_active=True,
                password=encoded,
            )
            new_users.append(user)
        memberships.append((user, link.group))
    User.objects.bulk_create(new_users)
    User.objects.filter(username__in=usernames).update(password=encoded, is_active=True)
    Membership = User.groups.through
    have = set(
        Membership.objects.filter(user__username__in=usernames).values_list("user_id", "group_id")
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=user.pk, group_id=group.pk)
            for user, group in memberships
            if (user.pk, group.pk) not in have
        ]
    )
    partners = _partners(pays, encoded)
    return DemoAccounts(pays_password, secretary_password, usernames, partners)


def _partners(pays, encoded):
    """An account per partner group of the Pays (`occitan-redaction`...), with the
    secretaries' password."""
    User = get_user_model()
    names = []
    for link in CollectiviteGroup.objects.filter(collectivite=pays, role__in=PARTNER_ROLES):
        user, _created = User.objects.update_or_create(
            username=link.role,
            defaults={
                "first_name": "Partenaire",
                "last_name": link.group.name[:150],
                "email": f"{link.role}@example.org",
                "is_active": True,
                "password": encoded,
            },
        )
        user.groups.add(link.group)
        names.append(user.username)
    return sorted(names)
