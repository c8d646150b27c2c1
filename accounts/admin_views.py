"""Admin views of accounts: the second factor (asking for it, enrolling, managing it) and
the Pays team's rescue of a locked account; the menu item of the Pays team's pages.
The connection log is in accounts.admin_reports, the lockout page in accounts.views."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accounts import two_factor
from accounts.forms import AccountRescueForm, CodeForm
from communes.tenancy import tenancy_for


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def verify(request):
    """The code of the app, or a recovery code, once per session."""
    user = request.user
    if user.is_verified() or not two_factor.is_enrolled(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.name == two_factor.RECOVERY:
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "Code de secours utilisé : il vous en reste %(left)d. "
                        "Vous pouvez en générer de nouveaux dans votre compte."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error("code", _("Ce code n'est pas valide. Réessayez dans quelques secondes."))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def enrol(request):
    """QR code and key of a new authenticator app, a code to confirm, then recovery codes."""
    user = request.user
    if two_factor.is_enrolled(user):
        return redirect("accounts_two_factor")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(device, "".join(form.cleaned_data["code"].split()))
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", _("Ce code n'est pas valide. Vérifiez l'heure de votre téléphone."))
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "required": two_factor.is_required(user),
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
        },
        status=400 if form.errors else 200,
    )


class TwoFactorView(WagtailAdminTemplateMixin, TemplateView):
    """Each user's own page: whether a second factor protects the account, new recovery
    codes, and switching it off where it is not required."""

    template_name = "accounts/two_factor.html"
    page_title = _("Double authentification")
    header_icon = "key"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            enrolled=two_factor.is_enrolled(user),
            required=two_factor.is_required(user),
            codes_left=two_factor.recovery_codes_left(user),
            **kwargs,
        )

    def post(self, request):
        user = request.user
        action = request.POST.get("action")
        if not two_factor.is_enrolled(user):
            return redirect("accounts_two_factor_enrol")
        if action == "recovery-codes":
            codes = two_factor.new_recovery_codes(user)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": reverse("accounts_two_factor")},
            )
        if action == "disable" and not two_factor.is_required(user):
            two_factor.reset(user)
            messages.success(request, _("La double authentification est désactivée."))
        return redirect("accounts_two_factor")


class AccountRescueView(WagtailAdminTemplateMixin, FormView):
    """Unlock an account or forget its second factor, for the Pays team, without a shell."""

    template_name = "accounts/rescue.html"
    form_class = AccountRescueForm
    page_title = _("Débloquer un compte")
    header_icon = "lock-open"

    def dispatch(self, request, *args, **kwargs):
        # It acts on accounts of every commune: out of reach is as if it did not exist.
        if not tenancy_for(request).is_pays_staff:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "requested_by": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            failure_limit=settings.AXES_FAILURE_LIMIT,
            cooloff_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )

    def form_valid(self, form):
        user = form.user
        if form.cleaned_data["action"] == form.UNLOCK:
            axes_reset(username=user.get_username())
            messages.success(self.request, _("%(user)s est débloqué.") % {"user": user})
        else:
            two_factor.reset(user)
            messages.success(
                self.request,
                _("%(user)s réactivera la double authentification à sa prochaine connexion.")
                % {"user": user},
            )
        return redirect("accounts_rescue")
