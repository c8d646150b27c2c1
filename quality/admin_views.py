"""« Qualité des sites »: the Pays team's dashboard of every collectivité's site, one site's
to-dos, and the CSV export. Pays team only (declared in quality.apps, checked here too)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communes.admin_guard import pays_staff_only
from communes.models import Collectivite
from communes.tenancy import tenancy_for
from quality.models import LinkIssue
from quality.services import dashboard
from quality.services.checks import site_quality

# Every site of the Pays fits on one page (about 160); the bound is for a larger Pays.
PER_PAGE = 200
REASON = "the quality of every collectivité's site, the Pays team's « démarche qualité »"

# The sortable columns of the listing: (?ordering= key, heading).
COLUMNS = [
    ("name", _("Collectivité")),
    ("score", _("Score")),
    ("last_edit", _("Dernière modification")),
    ("last_publication", _("Dernière publication")),
    ("news_age", _("Dernière actualité")),
    ("minutes_age", _("Dernier procès-verbal")),
    ("pending", _("À modérer")),
    ("issues", _("Liens et accessibilité")),
    ("todos", _("À faire")),
]


class PaysStaffMixin:
    def dispatch(self, request, *args, **kwargs):
        if not tenancy_for(request).is_pays_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FiltersMixin:
    """?epci=, ?q= and ?ordering=, read the same way by the listing and the export."""

    @cached_property
    def epci(self):
        value = self.request.GET.get("epci", "")
        if value.isascii() and value.isdigit() and len(value) < 12:
            return dashboard.epcis().filter(pk=int(value)).first()
        return None

    @cached_property
    def query(self):
        return self.request.GET.get("q", "").strip()[:100]

    @cached_property
    def ordering(self):
        value = self.request.GET.get("ordering", dashboard.DEFAULT_ORDERING)
        return value if value.lstrip("-") in dashboard.ORDERINGS else dashboard.DEFAULT_ORDERING

    def rows(self):
        return dashboard.rows(self.epci.pk if self.epci else None, self.query, self.ordering)


@pays_staff_only(REASON)
class QualityIndexView(PaysStaffMixin, FiltersMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "quality/index.html"
    page_title = _("Qualité des sites")
    header_icon = "tasks"

    def _sort_links(self):
        params = self.request.GET.copy()
        links = []
        for key, label in COLUMNS:
            current = self.ordering.lstrip("-") == key
            descending = self.ordering.startswith("-")
            params["ordering"] = f"-{key}" if current and not descending else key
            links.append(
                {
                    "label": label,
                    "url": "?" + params.urlencode(),
                    "sort": ("descending" if descending else "ascending") if current else "",
                }
            )
        return links

    def get_context_data(self, **kwargs):
        rows = self.rows()
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            rows=page.object_list,
            page_obj=page,
            total=len(rows),
            columns=self._sort_links(),
            epcis=dashboard.epcis(),
            epci=self.epci,
            query=self.query,
            export_url=reverse("quality:export") + "?" + self.request.GET.urlencode(),
            **kwargs,
        )


@pays_staff_only(REASON)
class QualityDetailView(PaysStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "quality/detail.html"
    header_icon = "tasks"

    @cached_property
    def collectivite(self):
        return get_object_or_404(
            Collectivite.objects.members().select_related("epci"),
            pk=self.kwargs["collectivite_id"],
        )

    @property
    def page_title(self):
        return _("Qualité du site de %(name)s") % {"name": self.collectivite.name}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("quality:index"), "label": _("Qualité des sites")},
            {"url": "", "label": self.collectivite.name},
        ]

    def get_context_data(self, **kwargs):
        quality = site_quality([self.collectivite])[0]
        issues = (
            LinkIssue.objects.filter(site_id=self.collectivite.site_id)
            .select_related("page")
            .order_by("kind", "-last_seen")[:500]
            if self.collectivite.site_id
            else []
        )
        return super().get_context_data(
            collectivite=self.collectivite,
            quality=quality,
            issues=issues,
            **kwargs,
        )


@pays_staff_only(REASON)
class QualityExportView(PaysStaffMixin, FiltersMixin, View):
    def get(self, request):
        response = HttpResponse(
            dashboard.export_csv(self.rows()), content_type="text/csv; charset=utf-8"
        )
        name = f"qualite-des-sites-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
