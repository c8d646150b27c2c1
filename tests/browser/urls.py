"""The project's URLs, plus the media files, which the test storage keeps in memory.

Production serves media from the web server; the browser tests need the pictures too, so
the screenshots show the pages as visitors see them.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def media(request, name):
    if not default_storage.exists(name):
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(default_storage.open(name), content_type=content_type)


urlpatterns = [path("media/<path:name>", media), *project_urlpatterns]
