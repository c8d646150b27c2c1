from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from communes.admin_menu import PaysStaffMenuItem
from photos import admin_views
from photos.viewsets import PhotoSubmissionViewSet


@hooks.register("register_admin_viewset")
def register_submissions():
    return PhotoSubmissionViewSet("photos-submissions")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "photos/manquantes/",
            admin_views.MissingPhotosReportView.as_view(),
            name="photos_missing",
        ),
        path(
            "photos/manquantes/resultats/",
            admin_views.MissingPhotosReportView.as_view(results_only=True),
            name="photos_missing_results",
        ),
        path("photos/synchroniser/", admin_views.start_sync, name="photos_sync_start"),
        path(
            "photos/propositions/<int:pk>/image/",
            admin_views.submission_image,
            name="photos_submission_image",
        ),
        path(
            "photos/propositions/export-commons/",
            admin_views.commons_batch,
            name="photos_commons_batch",
        ),
    ]


@hooks.register("register_reports_menu_item")
def missing_photos_menu_item():
    return PaysStaffMenuItem(
        _("Communes sans photo"),
        reverse("photos_missing"),
        name="communes-sans-photo",
        icon_name="image",
        order=1200,
    )
