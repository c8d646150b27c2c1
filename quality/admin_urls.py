"""The « Qualité des sites » pages (quality.admin_views), namespace "quality", declared Pays
team only in quality.apps."""

from django.urls import path

from quality import admin_views as views

app_name = "quality"
urlpatterns = [
    path("", views.QualityIndexView.as_view(), name="index"),
    path("export.csv", views.QualityExportView.as_view(), name="export"),
    path("<int:collectivite_id>/", views.QualityDetailView.as_view(), name="detail"),
]
