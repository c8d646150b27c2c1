"""« Éditeurs »: the Pays team's pages for the accounts of each collectivité's editors.

Wagtail's Utilisateurs and Groupes stay closed to the Pays team (they could grant anything);
these pages do only what accounts.services allows: invite a secretary or an élu, suspend,
reactivate, move, hand over. Pays team only (declared in accounts.apps, checked here too).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter

from accounts.forms import HandOverForm, InviteForm, MoveForm
from accounts.models import Invitation
from accounts.services import editors, invitations
from accounts.services.editors import EDITOR_ROLES, AccountError
from communes.admin_guard import pays_staff_only
from communes.models import Collectivite
from communes.tenancy import tenancy_for

REASON = "accounts of every collectivité's editors, the Pays team's job"


def editors_url(collectivite):
    return reverse("accounts-editors:collectivite", args=[collectivite.pk])


class PaysStaffMixin:
    def dispatch(self, request, *args, **kwargs):
        if not tenancy_for(request).is_pays_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CollectiviteMixin(PaysStaffMixin):
    @cached_property
    def collectivite(self):
        return get_object_or_404(
            Collectivite.objects.exclude(kind=Collectivite.Kind.PAYS),
            pk=self.kwargs["collectivite_id"],
        )

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("accounts-editors:index"), "label": _("Éditeurs")},
            {"url": editors_url(self.collectivite), "label": self.collectivite.name},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(collectivite=self.collectivite, **kwargs)


@pays_staff_only(REASON)
class EditorsIndexView(PaysStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    """The collectivités that have editor groups, with their number of editors."""

    template_name = "accounts/editors/index.html"
    page_title = _("Éditeurs")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        rows = (
            Collectivite.objects.exclude(kind=Collectivite.Kind.PAYS)
            .filter(group_links__role__in=EDITOR_ROLES)
            .annotate(
                suspended=Count(
                    "group_links__group__user",
                    filter=Q(group_links__group__user__is_active=False),
                    distinct=True,
                ),
                active=Count(
                    "group_links__group__user",
                    filter=Q(group_links__group__user__is_active=True),
                    distinct=True,
                ),
            )
            .order_by("name")
        )
        if query:
            rows = rows.filter(Q(name__icontains=query) | Q(code__iexact=query))
        return super().get_context_data(rows=rows, query=query, **kwargs)


@pays_staff_only(REASON)
class CollectiviteEditorsView(CollectiviteMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/editors/collectivite.html"
    header_icon = "group"

    @property
    def page_title(self):
        return _("Éditeurs de %(name)s") % {"name": self.collectivite.name}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("accounts-editors:index"), "label": _("Éditeurs")},
            {"url": "", "label": self.collectivite.name},
        ]

    def get_context_data(self, **kwargs):
        pending = Invitation.objects.filter(
            collectivite=self.collectivite, accepted_at=None
        ).select_related("invited_by", "replaces")
        return super().get_context_data(
            editors=editors.editors(self.collectivite),
            pending=pending,
            history=editors.history(self.collectivite),
            history_url=reverse(
                "wagtailsnippets_communes_collectivite:history", args=[self.collectivite.pk]
            ),
            **kwargs,
        )


class ServiceFormView(CollectiviteMixin, WagtailAdminTemplateMixin, FormView):
    """A form whose valid data goes to a service; AccountError is shown on the form."""

    template_name = "accounts/editors/form.html"
    header_icon = "group"
    intro = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, **kwargs)

    def form_valid(self, form):
        try:
            message = self.act(form.cleaned_data)
        except AccountError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(editors_url(self.collectivite))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def _outcome_message(outcome, email):
    if outcome.user is not None:
        return _(
            "%(email)s a déjà un compte (%(username)s) : il est ajouté au groupe, et prévenu."
        ) % {"email": email, "username": outcome.user.get_username()}
    return _("Invitation envoyée à %(email)s.") % {"email": email}


@pays_staff_only(REASON)
class InviteView(ServiceFormView):
    form_class = InviteForm
    page_title = _("Inviter un éditeur")
    intro = _(
        "Un secrétariat ou un élu reçoit un lien pour choisir son identifiant et son mot de "
        "passe. Si l'adresse a déjà un compte, ce compte est ajouté au groupe."
    )

    def act(self, data):
        outcome = invitations.invite(
            self.collectivite, data["email"], data["role"], actor=self.request.user
        )
        return _outcome_message(outcome, data["email"])


class EditorMixin:
    @cached_property
    def editor(self):
        try:
            return editors.editor_of(self.collectivite, self.kwargs["user_id"])
        except AccountError:
            raise PermissionDenied from None

    def get_context_data(self, **kwargs):
        return super().get_context_data(editor=self.editor, **kwargs)


@pays_staff_only(REASON)
class MoveView(EditorMixin, ServiceFormView):
    form_class = MoveForm
    page_title = _("Déplacer vers une autre collectivité")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current": self.collectivite}

    def act(self, data):
        editors.move(
            self.collectivite, self.editor, data["target"], data["role"], actor=self.request.user
        )
        return _("%(user)s travaille maintenant pour %(name)s.") % {
            "user": self.editor.get_username(),
            "name": data["target"].name,
        }


@pays_staff_only(REASON)
class HandOverView(EditorMixin, ServiceFormView):
    form_class = HandOverForm
    page_title = _("Passer la main à un successeur")
    intro = _(
        "Le successeur est invité avec le même rôle. Le compte sortant est suspendu quand il "
        "accepte, ou tout de suite si vous le cochez ; ses pages et ses révisions restent."
    )

    def act(self, data):
        outcome = invitations.hand_over(
            self.collectivite,
            self.editor,
            data["email"],
            actor=self.request.user,
            immediately=data["immediately"],
        )
        return _outcome_message(outcome, data["email"])


@pays_staff_only(REASON)
class AccountStateView(CollectiviteMixin, EditorMixin, View):
    """POST only: suspend or reactivate (`action` of the URL pattern)."""

    action = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = self.editor
        try:
            if self.action == "suspend":
                editors.suspend(self.collectivite, user, actor=request.user)
                message = _("%(user)s est suspendu : ses sessions sont fermées.")
            else:
                editors.reactivate(self.collectivite, user, actor=request.user)
                message = _("%(user)s est réactivé.")
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message % {"user": user.get_username()})
        return redirect(editors_url(self.collectivite))


def collectivite_listing_buttons(snippet, user, next_url=None):
    """« Éditeurs » on each row of the Collectivités listing, for the Pays team."""
    if not isinstance(snippet, Collectivite) or snippet.kind == Collectivite.Kind.PAYS:
        return []
    if not tenancy_for(user).is_pays_staff:
        return []
    return [ListingButton(_("Éditeurs"), url=editors_url(snippet), icon_name="group", priority=5)]


ROLE_LABELS = {"secretariat": _("secrétariat"), "elus": _("élus")}


class AccountLogFormatter(LogFormatter):
    template = ""

    def format_message(self, log_entry):
        data = {"role": "", "username": "", "email": "", "to": "", "from": "", "successor": ""}
        data.update(log_entry.data or {})
        data["role"] = ROLE_LABELS.get(data["role"], data["role"])
        return self.template % data


LOG_ACTIONS = {
    editors.INVITE: (_("Invitation d'un éditeur"), _("Invitation envoyée à %(email)s (%(role)s)")),
    editors.ADD: (
        _("Ajout d'un compte existant"),
        _("Compte existant %(username)s ajouté au groupe %(role)s"),
    ),
    editors.ACCEPT: (
        _("Invitation acceptée"),
        _("Invitation acceptée par %(email)s : compte %(username)s (%(role)s)"),
    ),
    editors.SUSPEND: (_("Suspension d'un compte"), _("Compte %(username)s suspendu")),
    editors.REACTIVATE: (_("Réactivation d'un compte"), _("Compte %(username)s réactivé")),
    editors.MOVE_OUT: (
        _("Départ vers une autre collectivité"),
        _("Compte %(username)s déplacé vers %(to)s (%(role)s)"),
    ),
    editors.MOVE_IN: (
        _("Arrivée d'une autre collectivité"),
        _("Compte %(username)s arrivé de %(from)s (%(role)s)"),
    ),
    editors.HAND_OVER: (
        _("Passation"),
        _("%(username)s passe la main à %(successor)s (%(role)s)"),
    ),
}


def register_log_actions(actions):
    for action, (label, template) in LOG_ACTIONS.items():
        formatter = type(
            "AccountLogFormatter", (AccountLogFormatter,), {"label": label, "template": template}
        )
        actions.register_action(action)(formatter)
