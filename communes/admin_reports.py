"""Wagtail's reports, narrowed to the user's reach.

Wagtail narrows its reports by permission, and permissions on snippets, images or
documents are per model: a secretary who may edit banners would read every commune's
banners in the site history and the workflow reports. For users outside the Pays team, the
admin guard (communes.admin_guard) answers these URLs with the subclasses below.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import PageLogEntry
from wagtail_localize.views.report import TranslationsReportView

from communes.reach import generic_relation_filter, translations_filter
from communes.tenancy import tenancy_for


def log_entries_within_reach(tenancy, queryset):
    if issubclass(queryset.model, PageLogEntry):
        return queryset.filter(tenancy.page_filter("page__"))
    return generic_relation_filter(tenancy, queryset, "content_type_id", "object_id")


class SiteHistoryFilterWithinReach(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        """Wagtail offers every user of every page log entry: only those of entries in reach."""
        tenancy = tenancy_for(self.request)
        user_ids = set()
        for log_model in log_action_registry.get_log_entry_models():
            entries = log_model.objects.viewable_by_user(self.request.user)
            entries = log_entries_within_reach(tenancy, entries)
            user_ids.update(entries.exclude(user=None).values_list("user_id", flat=True))
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)


class SiteHistoryWithinReach(LogEntriesView):
    filterset_class = SiteHistoryFilterWithinReach

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return log_entries_within_reach(tenancy_for(self.request), queryset)


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
