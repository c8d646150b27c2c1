"""Wagtail's reports, and the tags it suggests, narrowed to the user's reach.

Wagtail narrows its reports by permission, and permissions on snippets, images or
documents are per model: a secretary who may edit banners would read every commune's
banners in the site history and the workflow reports. For users outside the Pays team, the
admin guard (communes.admin_guard) answers these URLs with the subclasses below.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from taggit.models import Tag
from wagtail.admin.views import tags
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
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

from communes.admin_guard import tenancy_checked_by_view
from communes.reach import generic_relation_filter, narrow, translations_filter
from communes.services.translations import MISSING, OUTDATED, TRANSLATED, translation_report
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


@tenancy_checked_by_view("lists the sites of the user's collectivités only")
class TranslationStatusReportView(WagtailAdminTemplateMixin, TemplateView):
    """Rapports > Traductions: each site in each language, translated, out of date,
    missing; with `site_id` and `language`, the pages of one site in one language."""

    template_name = "communes/admin/translation_report.html"
    page_title = _("Traductions")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tenancy = tenancy_for(self.request)
        site_ids = None if tenancy.is_pays_staff else set(tenancy.site_ids)
        language = self.request.GET.get("language", "")
        site_id = self.request.GET.get("site_id", "")
        detail = None
        if site_id:
            if not site_id.isdigit() or (site_ids is not None and int(site_id) not in site_ids):
                raise Http404
            site_ids = {int(site_id)}
        rows = translation_report(site_ids, with_pages=bool(site_id))
        if site_id:
            detail = next((row for row in rows if row.language == language), None)
            if detail is None:
                raise Http404
        names = dict(settings.LANGUAGES)
        for row in rows:
            row.language_name = names.get(row.language, row.language)
        context.update(
            rows=rows,
            detail=detail,
            status_labels={
                TRANSLATED: _("Traduite"),
                OUTDATED: _("À mettre à jour"),
                MISSING: _("Manquante"),
            },
            log_url=reverse("wagtail_localize:translations_report"),
        )
        return context


def drop_localize_report_item(request, menu_items):
    """Two « Traductions » in Rapports would confuse: ours links to wagtail-localize's."""
    localize_url = reverse("wagtail_localize:translations_report")
    menu_items[:] = [item for item in menu_items if getattr(item, "url", None) != localize_url]
