"""« Interventions du Pays »: the month's interventions of the Pays team per collectivité,
against the 365 a year it made by hand (quality.services.interventions). Pays team only."""

import csv
import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communes.exports import neutralise_formula
from communes.tenancy import tenancy_for
from quality.services.interventions import add_months, interventions_report

MONTHS_OFFERED = 24


def _month(request):
    """The month asked for (`?month=2026-11`), else the current one."""
    today = timezone.localdate().replace(day=1)
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        asked = datetime.date(year, month, 1)
    except ValueError:
        return today
    return min(asked, today)


class PaysStaffOnly:
    def dispatch(self, request, *args, **kwargs):
        if not tenancy_for(request).is_pays_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class InterventionsView(PaysStaffOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "quality/admin/interventions.html"
    page_title = _("Interventions du Pays")
    header_icon = "history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = _month(self.request)
        current = timezone.localdate().replace(day=1)
        context.update(
            report=interventions_report(month),
            months=[add_months(current, -n) for n in range(MONTHS_OFFERED)],
            csv_url=reverse("quality_interventions_csv") + f"?month={month:%Y-%m}",
        )
        return context


class InterventionsCsvView(PaysStaffOnly, TemplateView):
    def get(self, request, *args, **kwargs):
        report = interventions_report(_month(request))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"interventions-{report.month:%Y-%m}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv.writer(response)
        writer.writerow(["collectivite", "code", "interventions", "actions", "intervenants"])
        for row in report.rows:
            cells = [row.collectivite.name, row.collectivite.code, row.count, row.kinds_display]
            cells.append(row.people_display)
            writer.writerow([neutralise_formula(cell) for cell in cells])
        writer.writerow(["total", "", report.total, "", ""])
        return response
