import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
_django = get_wsgi_application()

from serving.baking.server import BakedPages  # noqa: E402 - needs the settings configured

# Public pages baked to files are answered before Django (docs/serving.md#baked-pages).
application = BakedPages(_django)
