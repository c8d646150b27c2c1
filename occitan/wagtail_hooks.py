from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from occitan.admin_views import suggest_view
from occitan.viewsets import OccitanViewSetGroup

register_snippet(OccitanViewSetGroup)


@hooks.register("register_admin_urls")
def register_suggest_url():
    return [path("occitan/suggest/", suggest_view, name="occitan_suggest")]
