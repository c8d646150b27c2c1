"""Public views of accounts: the lockout page (django-axes' answer to a locked account or
address, settings.AXES_LOCKOUT_CALLABLE) and the acceptance of an editor's invitation."""

from urllib.parse import urlencode

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from accounts import two_factor
from accounts.forms import AcceptInvitationForm
from accounts.services import invitations
from accounts.services.editors import AccountError
from serving.rate_limit import RateLimit

RATE_LIMIT = 10  # tries from one address
RATE_WINDOW = 600  # seconds


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account or address, in the login page's look."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "accounts/lockout.html",
        {"minutes": int(cool_off.total_seconds() // 60) if cool_off else None},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def _render(request, context, status=200):
    response = render(request, "accounts/invitation.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@csrf_protect
def accept_invitation(request, token):
    """The invitee chooses a username and a password, is logged in, and enrols the second
    factor where it is required. Unknown, used or expired links get a page that says so."""
    state, invitation = invitations.find(token)
    if state != invitations.VALID:
        return _render(request, {"state": state}, status=404 if state == "unknown" else 410)
    email = invitation.email
    if request.method != "POST":
        form = AcceptInvitationForm(
            email=email, initial={"username": invitations.suggested_username(email)}
        )
        return _render(request, {"state": state, "form": form, "invitation": invitation})
    form = AcceptInvitationForm(request.POST, email=email)
    limit = RateLimit("invitation", RATE_LIMIT, RATE_WINDOW)
    if limit.exceeded(request):
        form.add_error(None, _("Trop d'essais depuis cette adresse. Réessayez dans 10 minutes."))
        return _render(request, {"state": state, "form": form, "invitation": invitation}, 429)
    limit.hit(request)
    if form.is_valid():
        try:
            user = invitations.accept(
                token, form.cleaned_data["username"], form.cleaned_data["password1"]
            )
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if two_factor.is_required(user):
                query = urlencode({"next": reverse("wagtailadmin_home")})
                return redirect(f"{reverse('accounts_two_factor_enrol')}?{query}")
            return redirect("wagtailadmin_home")
    return _render(request, {"state": state, "form": form, "invitation": invitation}, 400)
