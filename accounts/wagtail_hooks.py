from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts import admin_editors, admin_urls
from accounts.admin_reports import FailuresReportView, LoginsReportView
from accounts.admin_views import AccountRescueView, TwoFactorView, enrol, verify
from communes.admin_menu import PaysStaffMenuItem


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
        path("editeurs/", include(admin_urls, namespace="accounts-editors")),
    ]


# The Pays team's « Éditeurs » (never Wagtail's Utilisateurs and Groupes: see admin_editors).
@hooks.register("register_admin_menu_item")
def editors_menu_item():
    return PaysStaffMenuItem(
        _("Éditeurs"), reverse("accounts-editors:index"), name="editeurs", icon_name="group",
        order=160,
    )  # fmt: skip


hooks.register("register_snippet_listing_buttons", admin_editors.collectivite_listing_buttons)
hooks.register("register_log_actions", admin_editors.register_log_actions)


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("accounts_two_factor"),
        "label": _("Double authentification"),
        "help_text": _("Protéger le compte par un code de l'application d'authentification."),
    }


@hooks.register("register_reports_menu_item")
def logins_menu_item():
    return PaysStaffMenuItem(
        _("Connexions"), reverse("accounts_logins"), name="connexions", icon_name="user", order=1000
    )


@hooks.register("register_reports_menu_item")
def login_failures_menu_item():
    return PaysStaffMenuItem(
        _("Échecs de connexion"),
        reverse("accounts_login_failures"),
        name="echecs-de-connexion",
        icon_name="warning",
        order=1010,
    )


@hooks.register("register_reports_menu_item")
def rescue_menu_item():
    return PaysStaffMenuItem(
        _("Débloquer un compte"),
        reverse("accounts_rescue"),
        name="debloquer-un-compte",
        icon_name="lock-open",
        order=1020,
    )
