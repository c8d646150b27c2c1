"""Which hostnames Bastide answers on: exactly the hostnames of its Wagtail Sites."""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http.request import split_domain_port, validate_host


def is_provisioned_hostname(hostname):
    """A Site has this hostname: looked up by the hostname alone (serving.pages keeps what
    each process met under the structure's version), never by going through every Site."""
    from serving.pages import sites_on_host

    try:
        return bool(sites_on_host(hostname))
    except DatabaseError:
        return False  # not migrated yet: serve nothing


def allowed_hosts():
    """The hostnames Bastide answers on: the fixed extra names (ALLOWED_HOSTS_EXTRA, which
    may use Django's ".example.org" form), then its Sites' (a listing, for people: requests
    are checked one hostname at a time)."""
    from wagtail.models import Site

    return [
        *getattr(settings, "ALLOWED_HOSTS_EXTRA", ()),
        *Site.objects.order_by("hostname").values_list("hostname", flat=True).distinct(),
    ]


class ProvisionedHostsMiddleware:
    """Answer on exactly the hostnames of the provisioned sites.

    Django's ALLOWED_HOSTS is a fixed list (it lets everything through, see the settings);
    this looks the hostname up among the Sites, so a newly provisioned collectivité is served
    at once and an unknown hostname gets Django's own 400 (DisallowedHost, logged as Django
    logs it), never the default site. First after the health probes: nothing before it
    reads the hostname.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request._get_raw_host()
        domain, _port = split_domain_port(host)
        # What validate_host(domain, allowed_hosts()) answers: the Sites' names are exact
        # names, looked up; the extra ones may be patterns.
        extra = getattr(settings, "ALLOWED_HOSTS_EXTRA", ())
        if not domain or not (validate_host(domain, extra) or is_provisioned_hostname(domain)):
            raise DisallowedHost(f"Invalid HTTP_HOST header: {host!r}: no provisioned site has it.")
        return self.get_response(request)
