"""The client's address: headers are believed only as far as configured proxies wrote them."""

import pytest
from django.test import RequestFactory

from serving.client_address import client_ip

SPOOFED = {"HTTP_X_FORWARDED_FOR": "198.51.100.66", "HTTP_X_REAL_IP": "198.51.100.77"}


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_forwarding_headers_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(REMOTE_ADDR="203.0.113.7", **SPOOFED)) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_is_the_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the address it saw.
    forwarded = "198.51.100.66, 203.0.113.7"
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_ip(request(**meta, HTTP_X_REAL_IP="198.51.100.77")) == "203.0.113.7"


def test_behind_two_proxies_the_second_address_from_the_right_is_the_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    meta = {
        "REMOTE_ADDR": "10.0.0.3",
        "HTTP_X_FORWARDED_FOR": "198.51.100.66, 203.0.113.7, 10.0.0.2",
    }
    assert client_ip(request(**meta)) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", " , "])
def test_a_request_that_came_round_the_proxies_is_known_by_its_socket(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_ip(request(**meta)) == "203.0.113.9"
