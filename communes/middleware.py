from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from communes.hosts import known_hostnames


class KnownHostMiddleware:
    """Answer 400 to a hostname that is not one of our sites, instead of the default site.

    ALLOWED_HOSTS only narrows requests to the Pays' domain; this narrows them to the sites
    that actually exist, so an unknown subdomain never shows the portal.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.get_host().rsplit(":", 1)[0].lower()
        if host not in known_hostnames():
            return HttpResponseBadRequest(
                _("Ce nom d'hôte ne correspond à aucun site du Pays."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
