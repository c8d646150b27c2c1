from django.urls import path

from recyclebin import views

app_name = "recyclebin"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:pk>/restaurer/", views.RestoreView.as_view(), name="restore"),
]
