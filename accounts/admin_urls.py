"""The « Éditeurs » pages (accounts.admin_editors), namespace "accounts-editors", declared
Pays team only in accounts.apps."""

from django.urls import path

from accounts import admin_editors as views

app_name = "accounts-editors"
urlpatterns = [
    path("", views.EditorsIndexView.as_view(), name="index"),
    path("<int:collectivite_id>/", views.CollectiviteEditorsView.as_view(), name="collectivite"),
    path("<int:collectivite_id>/inviter/", views.InviteView.as_view(), name="invite"),
    path(
        "<int:collectivite_id>/<int:user_id>/suspendre/",
        views.AccountStateView.as_view(action="suspend"),
        name="suspend",
    ),
    path(
        "<int:collectivite_id>/<int:user_id>/reactiver/",
        views.AccountStateView.as_view(action="reactivate"),
        name="reactivate",
    ),
    path("<int:collectivite_id>/<int:user_id>/deplacer/", views.MoveView.as_view(), name="move"),
    path(
        "<int:collectivite_id>/<int:user_id>/passer-la-main/",
        views.HandOverView.as_view(),
        name="hand_over",
    ),
]
