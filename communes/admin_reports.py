"""Wagtail's reports, narrowed to the user's reach.

Wagtail narrows its reports by permission, and permissions on snippets, images or
documents are per model: a secretary who may edit banners would read every commune's
banners in the site history and the workflow reports. For users outside the Pays team, the
admin guard (communes.admin_guard) answers these URLs with the subclasses below.
"""

from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.models import PageLogEntry
from wagtail_localize.views.report import TranslationsReportView

from communes.reach import generic_relation_filter, translations_filter
from communes.tenancy import tenancy_for


class SiteHistoryWithinReach(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        tenancy = tenancy_for(self.request)
        if issubclass(queryset.model, PageLogEntry):
            return queryset.filter(tenancy.page_filter("page__"))
        return generic_relation_filter(tenancy, queryset, "content_type_id", "object_id")


class WorkflowReportWithinReach(WorkflowView):
    def get_queryset(self):
        return generic_relation_filter(
            tenancy_for(self.request), super().get_queryset(), "base_content_type_id", "object_id"
        )


class WorkflowTasksReportWithinReach(WorkflowTasksView):
    def get_queryset(self):
        return generic_relation_filter(
            tenancy_for(self.request),
            super().get_queryset(),
            "workflow_state__base_content_type_id",
            "workflow_state__object_id",
        )


class TranslationsReportWithinReach(TranslationsReportView):
    def get_queryset(self):
        return super().get_queryset().filter(translations_filter(tenancy_for(self.request)))


NARROWED_VIEWS = {
    LogEntriesView: SiteHistoryWithinReach,
    WorkflowView: WorkflowReportWithinReach,
    WorkflowTasksView: WorkflowTasksReportWithinReach,
    TranslationsReportView: TranslationsReportWithinReach,
}
