from django.urls import path

from recyclebin import admin_views

app_name = "recyclebin"
urlpatterns = [
    path("", admin_views.IndexView.as_view(), name="index"),
    path("<int:pk>/restaurer/", admin_views.RestoreView.as_view(), name="restore"),
]
