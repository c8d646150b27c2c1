from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import accept_invitation
from directory.api import services_geojson
from occitan.audio_views import audio as occitan_audio
from search import views as search_views
from serving.pages import serve
from serving.sitemaps import sitemap
from themes.views import stylesheet as theme_stylesheet

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("api/services.geojson", services_geojson, name="services_geojson"),
    path("audio/occitan/<int:pk>/", occitan_audio, name="occitan-audio"),
    # An editor's invitation (accounts.services.invitations): public, outside the page tree.
    path("compte/invitation/<str:token>/", accept_invitation, name="accounts_invitation"),
    # Each site's theme tokens, named after their hash (themes/stylesheet.py).
    re_path(r"^theme/(?P<name>[0-9a-f]{16})\.css$", theme_stylesheet, name="theme_stylesheet"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages last: French without prefix, /en/ and /oc/ for the other locales. Wagtail's own
# page URLs, with its serve view behind the one that finds sites and routes from memory.
page_urls = [p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"]
page_urls.append(re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"))
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    # A collectivité's alerts (docs/alerts.md): on every site, before the pages' catch-all.
    path("alertes/", include("alerts.urls")),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("", include(page_urls)),
    prefix_default_language=False,
)
