"""The sites' URLs follow the port Bastide is served on, read when serving.

Wagtail builds every URL between sites from `Site.root_url`, which it derives from the port
stored in each Site record: a demo provisioned on :8000 and then served on :8123 would still
link to :8000 until every site was provisioned again. Here `Site.root_url` reads the port
from `settings.SITE_PORT` instead (80: http, 443: https, any other: http with the port), so
serving on another port is one environment variable (`make demo PORT=8123` sets it). The
stored port still matters for one thing only: Wagtail's matching of a request to a site,
which falls back on the hostname alone when the port differs.
"""

from django.conf import settings
from wagtail.models import Site


def root_url(hostname, port=None):
    port = settings.SITE_PORT if port is None else port
    if port == 80:
        return f"http://{hostname}"
    if port == 443:
        return f"https://{hostname}"
    return f"http://{hostname}:{port}"


def _served_root_url(site):
    return root_url(site.hostname)


def install():
    """Replace Wagtail's `Site.root_url` (a property of the model) by the served one."""
    Site.root_url = property(_served_root_url)
