"""The alerts' pages, on every collectivité's site (config/urls.py: /alertes/, /en/alertes/…)."""

from django.urls import path

from alerts import feeds, views

app_name = "alerts"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("rss/", feeds.feed, name="feed"),
]
