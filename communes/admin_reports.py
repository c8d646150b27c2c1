"""Wagtail's reports, and the tags it suggests, narrowed to the user's reach.

Wagtail narrows its reports by permission, and permissions on snippets, images or
documents are per model: a secretary who may edit banners would read every commune's
banners in the site history and the workflow reports. For users outside the Pays team, the
admin guard (communes.admin_guard) answers these URLs with the subclasses below.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from taggit.models import Tag
from wagtail.admin.views import tags
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.documents import get_document_model
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.documents.views.documents import IndexView as DocumentIndexView
from wagtail.images import get_image_model
from wagtail.images.views.chooser import ImageChooseView
from wagtail.images.views.images import ImagesFilterSet
from wagtail.images.views.images import IndexView as ImageIndexView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import PageLogEntry
from wagtail_localize.views.report import TranslationsReportView

from communes.reach import generic_relation_filter, narrow, translations_filter
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


def tags_within_reach(request, model):
    """Tags used on the objects of `model` in reach, the most used first (what Wagtail's
    popular_tags_for_model gives, for one commune's images or documents)."""
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model),
            taggit_taggeditem_items__object_id__in=narrow(
                tenancy_for(request), model.objects.all()
            ).values("pk"),
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")
    )


class PopularTagsWithinReach:
    """A media filter set whose "popular tags" are those of the user's own media."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tag" not in self.filters:
            return
        popular = tags_within_reach(self.request, self._meta.model)[:10]
        if popular:
            self.filters["tag"].extra["choices"] = [(tag.name, tag.name) for tag in popular]
        else:
            del self.filters["tag"]


class ImagesFilterWithinReach(PopularTagsWithinReach, ImagesFilterSet):
    pass


class DocumentsFilterWithinReach(PopularTagsWithinReach, DocumentsFilterSet):
    pass


class ImageIndexWithinReach(ImageIndexView):
    filterset_class = ImagesFilterWithinReach


class DocumentIndexWithinReach(DocumentIndexView):
    filterset_class = DocumentsFilterWithinReach


class ImageChooserWithinReach(ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = tags_within_reach(self.request, self.model)[:10]
        return context


NARROWED_VIEWS = {
    ImageIndexView: ImageIndexWithinReach,
    DocumentIndexView: DocumentIndexWithinReach,
    ImageChooseView: ImageChooserWithinReach,
    LogEntriesView: SiteHistoryWithinReach,
    WorkflowView: WorkflowReportWithinReach,
    WorkflowTasksView: WorkflowTasksReportWithinReach,
    TranslationsReportView: TranslationsReportWithinReach,
}


def tag_autocomplete_within_reach(request, app_name=None, model_name=None):
    """Wagtail suggests every tag of every commune; only those of images and documents in
    reach (the only tagged models: Bastide declares no other tag model)."""
    if app_name or model_name:
        raise Http404
    term = request.GET.get("term")
    if not term:
        return JsonResponse([], safe=False)
    tenancy = tenancy_for(request)
    in_reach = Q()
    for model in (get_image_model(), get_document_model()):
        in_reach |= Q(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model),
            taggit_taggeditem_items__object_id__in=narrow(tenancy, model.objects.all()).values(
                "pk"
            ),
        )
    names = (
        Tag.objects.filter(in_reach, name__istartswith=term)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[: tags.TAGS_AUTOCOMPLETE_LIMIT]
    )
    return JsonResponse(list(names), safe=False)


NARROWED_FUNCTIONS = {tags.autocomplete: tag_autocomplete_within_reach}
