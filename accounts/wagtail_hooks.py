from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts.admin_reports import FailuresReportView, LoginsReportView
from accounts.admin_views import AccountRescueView, PaysOnlyMenuItem, TwoFactorView, enrol, verify


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("double-authentification/", TwoFactorView.as_view(), name="accounts_two_factor"),
        path("double-authentification/code/", verify, name="accounts_two_factor_verify"),
        path("double-authentification/activer/", enrol, name="accounts_two_factor_enrol"),
        path("connexions/", LoginsReportView.as_view(), name="accounts_logins"),
        path(
            "connexions/resultats/",
            LoginsReportView.as_view(results_only=True),
            name="accounts_logins_results",
        ),
        path(
            "connexions/echecs/",
            FailuresReportView.as_view(),
            name="accounts_login_failures",
        ),
        path(
            "connexions/echecs/resultats/",
            FailuresReportView.as_view(results_only=True),
            name="accounts_login_failures_results",
        ),
        path("connexions/debloquer/", AccountRescueView.as_view(), name="accounts_rescue"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("accounts_two_factor"),
        "label": _("Double authentification"),
        "help_text": _("Protéger le compte par un code de l'application d'authentification."),
    }


@hooks.register("register_reports_menu_item")
def logins_menu_item():
    return PaysOnlyMenuItem(
        _("Connexions"), reverse("accounts_logins"), name="connexions", icon_name="user", order=1000
    )


@hooks.register("register_reports_menu_item")
def login_failures_menu_item():
    return PaysOnlyMenuItem(
        _("Échecs de connexion"),
        reverse("accounts_login_failures"),
        name="echecs-de-connexion",
        icon_name="warning",
        order=1010,
    )


@hooks.register("register_reports_menu_item")
def rescue_menu_item():
    return PaysOnlyMenuItem(
        _("Débloquer un compte"),
        reverse("accounts_rescue"),
        name="debloquer-un-compte",
        icon_name="lock-open",
        order=1020,
    )
