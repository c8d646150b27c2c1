"""Rapports > Connexions: who logged in to the admin, from where, and the failed attempts.

django-axes writes the rows (AccessLog for each login and its logout, AccessFailureLog for
each failure). They name accounts of every commune: the Pays team only.
"""

import django_filters
from axes.models import AccessFailureLog, AccessLog
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.reports import ReportView

from communes.tenancy import tenancy_for


class PaysOnlyReport(ReportView):
    def dispatch(self, request, *args, **kwargs):
        # As the admin's tenancy guard does: out of reach is as if it did not exist.
        if not tenancy_for(request).is_pays_staff:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class LoginFilterSet(WagtailFilterSet):
    attempt_time = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )
    username = django_filters.CharFilter(label=_("Identifiant"), lookup_expr="icontains")
    ip_address = django_filters.CharFilter(label=_("Adresse IP"))

    class Meta:
        model = AccessLog
        fields = ["attempt_time", "username", "ip_address"]


class FailureFilterSet(LoginFilterSet):
    class Meta:
        model = AccessFailureLog
        fields = ["attempt_time", "username", "ip_address", "locked_out"]


COMMON_COLUMNS = [
    DateColumn("attempt_time", label=_("Date"), sort_key="attempt_time"),
    Column("username", label=_("Identifiant"), sort_key="username"),
    Column("ip_address", label=_("Adresse IP")),
    Column("user_agent", label=_("Navigateur")),
]


class LoginsReportView(PaysOnlyReport):
    page_title = _("Connexions")
    header_icon = "user"
    index_url_name = "accounts_logins"
    index_results_url_name = "accounts_logins_results"
    filterset_class = LoginFilterSet
    columns = COMMON_COLUMNS + [
        DateColumn("logout_time", label=_("Déconnexion"), sort_key="logout_time"),
    ]
    list_export = ["attempt_time", "username", "ip_address", "user_agent", "logout_time"]
    default_ordering = "-attempt_time"

    def get_queryset(self):
        return AccessLog.objects.order_by("-attempt_time")


class FailuresReportView(PaysOnlyReport):
    page_title = _("Échecs de connexion")
    header_icon = "warning"
    index_url_name = "accounts_login_failures"
    index_results_url_name = "accounts_login_failures_results"
    filterset_class = FailureFilterSet
    columns = COMMON_COLUMNS + [BooleanColumn("locked_out", label=_("Bloqué"))]
    list_export = ["attempt_time", "username", "ip_address", "user_agent", "locked_out"]

    def get_queryset(self):
        return AccessFailureLog.objects.order_by("-attempt_time")
