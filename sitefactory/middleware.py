from django.urls import reverse

from sitefactory.services.lifecycle import archived_name_for_host
from sitefactory.views import archived_site


class ArchivedSiteMiddleware:
    """Answer 410 on the hostname of an archived collectivité.

    A Wagtail hook cannot do this: the archived pages are offline, so Wagtail's routing
    raises 404 before any page hook runs. The admin stays reachable on every hostname.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if not request.path_info.startswith(self.admin_prefix):
            name = archived_name_for_host(request.get_host().rsplit(":", 1)[0])
            if name is not None:
                response = archived_site(request, name)
                return response.render()
        return self.get_response(request)
