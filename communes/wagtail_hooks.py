from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from communes.admin_reports import TranslationStatusReportView, drop_localize_report_item
from communes.admin_views import RegistryImportView
from communes.tenancy import tenancy_for
from communes.viewsets import BannerViewSet, CollectiviteViewSet

register_snippet(CollectiviteViewSet)


@hooks.register("register_admin_urls")
def register_registry_import_url():
    return [
        path(
            "collectivites/import/",
            RegistryImportView.as_view(),
            name="communes_import_registry",
        )
    ]


# -- Tenancy: a collectivité's editors see only their own site ------------------------------

register_snippet(BannerViewSet)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_within_reach(pages, request):
    """The page chooser lists the user's sites, and the pages above them to get there."""
    tenancy = tenancy_for(request)
    if tenancy.is_pays_staff:
        return pages
    ancestors = Q()
    for home in tenancy.home_pages:
        ancestors |= Q(path__in=[home.path[:n] for n in range(4, len(home.path), 4)])
    return pages.filter(tenancy.page_filter() | ancestors)


@hooks.register("construct_homepage_panels")
def collectivite_dashboard(request, panels):
    """A secretary's admin home opens on their commune."""
    from communes.dashboard import CollectivitePanel

    tenancy = tenancy_for(request)
    if not tenancy.is_pays_staff and tenancy.collectivite_ids:
        panels.insert(0, CollectivitePanel(request))


# -- uploads: a document used only on restricted pages is as restricted as they are ---------


@hooks.register("before_serve_document")
def documents_of_restricted_pages(document, request):
    from communes.services.document_access import refusal

    return refusal(document, request)


# -- Translations: where each site stands in each language ---------------------------------


@hooks.register("register_admin_urls")
def register_translation_report_url():
    return [
        path(
            "rapports/traductions/",
            TranslationStatusReportView.as_view(),
            name="communes_translation_report",
        )
    ]


@hooks.register("register_reports_menu_item")
def translation_report_menu_item():
    return MenuItem(
        _("Traductions"),
        reverse("communes_translation_report"),
        name="traductions",
        icon_name="site",
        order=1100,
    )


# wagtail-localize's own list of translations stays reachable from ours (a link at its top).
hooks.register("construct_reports_menu", drop_localize_report_item)


# -- Moderation told for people: the commune and the page, the diff ------------------------


@hooks.register("register_admin_urls")
def register_moderation_url():
    from communes.admin_moderation import PendingModerationView

    return [path("moderation/", PendingModerationView.as_view(), name="communes_moderation")]


@hooks.register("construct_homepage_panels")
def moderation_panel(request, panels):
    from communes.admin_moderation import replace_moderation_panel

    replace_moderation_panel(request, panels)


@hooks.register("register_reports_menu_item")
def moderation_menu_item():
    from communes.admin_moderation import moderation_menu_item

    return moderation_menu_item()
