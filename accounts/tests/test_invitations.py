"""Editors' accounts, the Pays team's job: invitations, suspension, moves, hand-overs, and
what the Pays team may never grant."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, Revision

from accounts.models import Invitation
from accounts.services import editors, invitations
from accounts.services.editors import AccountError
from communes.models import CollectiviteGroup
from conftest import COMMUNE_A, COMMUNE_B, host_client, member

PASSWORD = "cheval-agrafe-correct-batterie"  # noqa: S105
User = get_user_model()


@pytest.fixture
def places(communes, pays):
    return pays, communes[COMMUNE_A], communes[COMMUNE_B]


@pytest.fixture
def team(places):
    pays = places[0]
    client = host_client(pays.hostname)
    client.force_login(member("equipe-test", pays, "equipe"))
    return client


def editors_path(collectivite, *rest):
    return "/".join([f"/admin/editeurs/{collectivite.pk}", *map(str, rest), ""])


def link_in(message):
    return re.search(r"https?://\S+/compte/invitation/(\S+)/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def refused(response):
    """403, or Wagtail's « Désolé, vous n'avez pas les autorisations » (a redirect home)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def in_group(user, collectivite, role):
    group = CollectiviteGroup.objects.get(collectivite=collectivite, role=role).group
    return user.groups.filter(pk=group.pk).exists()


def group_names(collectivite):
    return CollectiviteGroup.objects.filter(collectivite=collectivite).values_list(
        "group__name", flat=True
    )


def test_invited_secretary_accepts_is_logged_in_and_sees_only_her_commune(team, places):
    pays, a, b = places
    response = team.post(
        editors_path(a, "inviter"), {"email": "Marie@Mairie.example", "role": "secretariat"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Marie@mairie.example"] and a.name in message.subject
    url = link_in(message)
    assert url in message.alternatives[0][0]
    invitation = Invitation.objects.get()
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash  # only its hash is stored

    visitor = host_client(pays.hostname)
    page = visitor.get(path_of(url))
    assert page.status_code == 200
    assert 'value="Marie"' in page.content.decode()
    assert "noindex" in page["X-Robots-Tag"] and "no-cache" in page["Cache-Control"]
    weak = visitor.post(path_of(url), {"username": "marie", "password1": "x", "password2": "x"})
    assert weak.status_code == 400 and not User.objects.filter(username="marie").exists()

    response = visitor.post(
        path_of(url), {"username": "marie", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    user = User.objects.get(username="marie")
    assert user.email == "Marie@mairie.example" and user.check_password(PASSWORD)
    assert in_group(user, a, "secretariat") and not user.is_superuser
    explorer = visitor.get("/admin/pages/", follow=True)
    assert explorer.redirect_chain == [(f"/admin/pages/{a.home_page_id}/", 302)]
    listed = {int(i) for i in re.findall(r"/admin/pages/(\d+)/edit/", explorer.content.decode())}
    home = Page.objects.get(pk=a.home_page_id)
    assert len(listed) > 3
    assert listed == set(
        home.get_descendants(inclusive=True).filter(pk__in=listed).values_list("pk", flat=True)
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    used = visitor.get(path_of(url))
    assert used.status_code == 410 and "déjà servi" in used.content.decode()
    actions = ModelLogEntry.objects.for_instance(a).values_list("action", flat=True)
    assert {editors.INVITE, editors.ACCEPT} <= set(actions)


def test_where_the_second_factor_is_required_the_new_editor_enrols_first(places, settings):
    settings.BASTIDE_2FA_REQUIRED_FOR_SECRETARIES = True
    pays, a, _b = places
    invitations.invite(a, "elu@example.org", "elus")
    url = path_of(link_in(mail.outbox[0]))
    response = host_client(pays.hostname).post(
        url, {"username": "elu", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/double-authentification/activer/?next=%2Fadmin%2F"


def test_unknown_expired_and_used_links_get_a_french_page(places):
    pays, a, _b = places
    client = host_client(pays.hostname)
    unknown = client.get("/compte/invitation/nimportequoi/")
    assert unknown.status_code == 404 and "n'existe pas" in unknown.content.decode()
    invitations.invite(a, "tard@example.org", "secretariat")
    url = path_of(link_in(mail.outbox[0]))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    for response in (
        client.get(url),
        client.post(url, {"username": "tard", "password1": PASSWORD, "password2": PASSWORD}),
    ):
        assert response.status_code == 410 and "a expiré" in response.content.decode()
    assert not User.objects.filter(username="tard").exists()
    with pytest.raises(AccountError):
        invitations.accept(url.rstrip("/").rsplit("/", 1)[1], "tard", PASSWORD)


def test_the_expiry_comes_from_settings(places, settings):
    settings.ACCOUNTS_INVITATION_DAYS = 2
    invitation = invitations.invite(places[1], "x@example.org", "elus").invitation
    delay = invitation.expires_at - invitation.created_at
    assert timedelta(days=2) - timedelta(seconds=5) < delay <= timedelta(days=2)


def test_an_address_with_an_account_is_added_to_the_group_not_invited(team, places):
    _pays, a, b = places
    user = member("deja", b, "secretariat", email="deja@example.org")
    response = team.post(editors_path(a, "inviter"), {"email": "DEJA@example.org", "role": "elus"})
    assert response.status_code == 302
    assert in_group(user, a, "elus") and in_group(user, b, "secretariat")
    assert not Invitation.objects.exists()
    assert [(u.pk, roles) for u, roles in editors.editors(a)] == [(user.pk, ["elus"])]
    assert "/admin/" in mail.outbox[0].body and "/compte/invitation/" not in mail.outbox[0].body


def test_suspending_logs_her_out_at_once_and_keeps_her_revisions(team, places):
    pays, a, _b = places
    secretary = member("partante", a, "secretariat")
    home = Page.objects.get(pk=a.home_page_id).specific
    revision = home.save_revision(user=secretary)
    her = host_client(pays.hostname)
    her.force_login(secretary)
    assert her.get("/admin/").status_code == 200

    response = team.post(editors_path(a, secretary.pk, "suspendre"))
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert not secretary.is_active
    assert not [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(secretary.pk)
    ]
    next_request = her.get("/admin/")
    assert next_request.status_code == 302 and next_request["Location"].startswith("/admin/login/")
    assert Revision.objects.filter(pk=revision.pk, user=secretary).exists()
    assert User.objects.filter(pk=secretary.pk).exists()

    response = team.post(editors_path(a, secretary.pk, "reactiver"))
    secretary.refresh_from_db()
    assert secretary.is_active and in_group(secretary, a, "secretariat")
    page = team.get(editors_path(a)).content.decode()
    assert "Compte partante suspendu" in page and "Compte partante réactivé" in page
    history = team.get(f"/admin/snippets/communes/collectivite/history/{a.pk}/")
    assert "Compte partante suspendu" in history.content.decode()


def test_moving_an_editor_changes_her_groups_and_logs_both_sides(team, places):
    _pays, a, b = places
    user = member("mobile", a, "secretariat")
    response = team.post(editors_path(a, user.pk, "deplacer"), {"target": b.pk, "role": "elus"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert in_group(user, b, "elus") and not in_group(user, a, "secretariat")
    assert ModelLogEntry.objects.for_instance(a).filter(action=editors.MOVE_OUT).exists()
    assert ModelLogEntry.objects.for_instance(b).filter(action=editors.MOVE_IN).exists()


def test_a_hand_over_suspends_the_leaver_when_the_successor_accepts(team, places):
    pays, a, _b = places
    leaver = member("sortante", a, "secretariat")
    response = team.post(editors_path(a, leaver.pk, "passer-la-main"), {"email": "new@example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.replaces == leaver and invitation.role == "secretariat"
    leaver.refresh_from_db()
    assert leaver.is_active
    host_client(pays.hostname).post(
        path_of(link_in(mail.outbox[0])),
        {"username": "entrante", "password1": PASSWORD, "password2": PASSWORD},
    )
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert in_group(User.objects.get(username="entrante"), a, "secretariat")


def test_a_hand_over_can_suspend_the_leaver_at_once(team, places):
    _pays, a, _b = places
    leaver = member("sortante", a, "elus")
    team.post(
        editors_path(a, leaver.pk, "passer-la-main"),
        {"email": "n@example.org", "immediately": "on"},
    )
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert Invitation.objects.get().role == "elus"


def test_the_pays_team_cannot_grant_superuser_or_pays_rights(team, places):
    pays, a, b = places
    for crafted in (
        {"email": "x@example.org", "role": "equipe"},
        {"email": "x@example.org", "role": "secretariat", "is_superuser": "1"},
    ):
        team.post(editors_path(a, "inviter"), crafted)
    assert list(Invitation.objects.values_list("role", flat=True)) == ["secretariat"]
    assert (
        team.post(
            editors_path(pays, "inviter"), {"email": "y@example.org", "role": "secretariat"}
        ).status_code
        == 404
    )
    with pytest.raises(AccountError):
        invitations.invite(pays, "z@example.org", "equipe")
    with pytest.raises(AccountError):
        invitations.invite(pays, "z@example.org", "secretariat")

    editor = member("ambitieuse", a, "secretariat")
    moved = team.post(
        editors_path(a, editor.pk, "deplacer"), {"target": pays.pk, "role": "secretariat"}
    )
    assert moved.status_code == 400 and in_group(editor, a, "secretariat")

    colleague = member("collegue", pays, "equipe")
    colleague.groups.add(CollectiviteGroup.objects.get(collectivite=a, role="secretariat").group)
    boss = User.objects.create_superuser("chef", "chef@example.org", "x")
    boss.groups.add(CollectiviteGroup.objects.get(collectivite=a, role="elus").group)
    for user in (colleague, boss):
        for action in ("suspendre", "passer-la-main", "deplacer"):
            data = {"email": "q@example.org", "target": b.pk, "role": "elus"}
            assert refused(team.post(editors_path(a, user.pk, action), data))
        user.refresh_from_db()
        assert user.is_active and in_group(user, a, "secretariat" if user is colleague else "elus")
    assert not Invitation.objects.filter(email="q@example.org").exists()
    # Wagtail's users and groups stay closed to the Pays team.
    assert refused(team.get("/admin/users/")) and refused(team.get("/admin/groups/"))
    crafted = {"username": "pirate", "email": "p@example.org", "is_superuser": "on"}
    assert refused(team.post(reverse("wagtailusers_users:add"), {**crafted, "password1": PASSWORD}))
    assert refused(team.post(reverse("wagtailusers_users:edit", args=[editor.pk]), crafted))
    editor.refresh_from_db()
    assert not editor.is_superuser and not User.objects.filter(username="pirate").exists()


def test_a_secretary_reaches_none_of_the_editors_pages(places):
    pays, a, _b = places
    secretary = member("secretaire-test", a, "secretariat")
    colleague = member("collegue-test", a, "elus")
    client = host_client(pays.hostname)
    client.force_login(secretary)
    for path in ("/admin/editeurs/", editors_path(a), editors_path(a, "inviter")):
        assert client.get(path).status_code == 403
    assert (
        client.post(
            editors_path(a, "inviter"), {"email": "a@example.org", "role": "elus"}
        ).status_code
        == 403
    )
    assert client.post(editors_path(a, colleague.pk, "suspendre")).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active and not Invitation.objects.exists()
    assert "/admin/editeurs/" not in client.get("/admin/").content.decode()


def test_the_pays_team_finds_editors_from_the_collectivites_listing(team, places):
    pays, a, _b = places
    listing = team.get("/admin/snippets/communes/collectivite/?q=" + a.code).content.decode()
    assert f'href="{editors_path(a)}"' in listing
    assert "/admin/editeurs/" in team.get("/admin/").content.decode()  # the menu
    index = team.get("/admin/editeurs/?q=" + a.name)
    assert index.status_code == 200 and editors_path(a) in index.content.decode()
    editor = member("visible", a, "elus")
    page = team.get(editors_path(a)).content.decode()
    assert "visible" in page and editors_path(a, editor.pk, "passer-la-main") in page
    for path in (editors_path(a, "inviter"), editors_path(a, editor.pk, "passer-la-main")):
        assert team.get(path).status_code == 200
    move = team.get(editors_path(a, editor.pk, "deplacer")).content.decode()
    assert pays.name not in move.split('name="target"')[1].split("</select>")[0]


def test_the_command_invites_too(places):
    _pays, a, _b = places
    out = StringIO()
    call_command("invite_editor", a.code, "cmd@example.org", "--role", "elus", stdout=out)
    assert "invitation envoyée" in out.getvalue()
    assert Invitation.objects.get().collectivite == a and len(mail.outbox) == 1
    with pytest.raises(CommandError):
        call_command("invite_editor", "00000", "cmd@example.org", "--role", "elus")
    with pytest.raises(CommandError):
        call_command("invite_editor", "PAYS", "cmd@example.org", "--role", "secretariat")


def test_hostile_links_and_fields_never_give_a_500(places):
    pays, a, _b = places
    client = host_client(pays.hostname)
    for token in ("x" * 5000, "a%00b", "%C3%28", "..%2F..", "'%20OR%201=1"):
        assert client.get(f"/compte/invitation/{token}/").status_code == 404
    invitations.invite(a, "fuzz@example.org", "elus")
    url = path_of(link_in(mail.outbox[0]))
    for value in ("", "\x00", "x" * 10_000, "é" * 200, "<script>"):
        data = {"username": value, "password1": value, "password2": value}
        assert client.post(url, data).status_code == 400
    assert Invitation.objects.get().accepted_at is None
