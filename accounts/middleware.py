"""The admin asks for the second factor before any of its pages.

After the password, a user with a device is sent to the code page; a user for whom the
second factor is required and who has none is sent to enrolment. Only the admin is
concerned (the public sites have no staff-only content to protect this way), and only the
views that lead there stay open: login, logout, password reset, the two-factor pages, and
the static icons and translations those pages load.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor

OPEN_VIEWS = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "accounts_two_factor_verify",
    "accounts_two_factor_enrol",
}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        if match.view_name in OPEN_VIEWS or user.is_verified():
            return None
        if two_factor.is_enrolled(user):
            target = "accounts_two_factor_verify"
        elif two_factor.is_required(user):
            target = "accounts_two_factor_enrol"
        else:
            return None
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
