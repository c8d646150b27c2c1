"""The outside-link checker against a small site on 127.0.0.1 (never the internet)."""

import pytest

from quality.services.fetching import Checker, Refused, public_address
from quality.tests.server import OutsideSite as Site


@pytest.fixture(scope="module")
def site():
    with Site() as server:
        yield server


@pytest.fixture
def checker(settings):
    settings.QUALITY_LINKS_CONTACT = "qualite@pays.test"
    return Checker(timeout=(1, 0.5), delay=0, workers=4, max_redirects=3, allow_private=True)


def test_a_live_page_answers_and_a_missing_one_is_broken_with_its_status(site, checker):
    ok = checker.check(site.url("/ok"))
    missing = checker.check(site.url("/missing"))
    assert (ok.ok, ok.status_code) == (True, 200)
    assert (missing.ok, missing.status_code, missing.detail) == (False, 404, "HTTP 404")


def test_every_request_says_who_checks_and_how_to_reach_them(site, checker):
    checker.check(site.url("/ok?agent"))
    agents = {agent for _m, path, _h, agent in site.hits if path == "/ok?agent"}
    assert agents == {checker.user_agent}
    assert checker.user_agent.startswith("BastideLinkChecker/")
    assert "qualite@pays.test" in checker.user_agent


def test_head_comes_first_and_get_only_when_head_is_refused(site, checker):
    checker.check(site.url("/ok?head"))
    result = checker.check(site.url("/get-only"))
    assert [m for m, path, _h, _a in site.hits if path == "/ok?head"] == ["HEAD"]
    assert [m for m, path, _h, _a in site.hits if path == "/get-only"] == ["HEAD", "GET"]
    assert result.ok is True


def test_robots_txt_is_read_once_per_host_and_obeyed(site, checker):
    before = site.paths().count("/robots.txt")
    forbidden = checker.check(site.url("/private/report"))
    checker.check(site.url("/ok?robots"))
    assert forbidden.ok is None and "robots.txt" in forbidden.detail
    assert "/private/report" not in site.paths()
    assert site.paths().count("/robots.txt") == before + 1


def test_a_slow_page_times_out_instead_of_holding_the_run(site, checker):
    result = checker.check(site.url("/slow"))
    assert (result.ok, result.detail) == (False, "délai dépassé")


def test_redirects_are_followed_to_a_limit(site, checker):
    assert checker.check(site.url("/moved")).ok is True
    to_missing = checker.check(site.url("/moved-to-missing"))
    assert (to_missing.ok, to_missing.status_code) == (False, 404)
    looping = checker.check(site.url("/loop"))
    assert (looping.ok, looping.detail) == (False, "trop de redirections")


def test_one_request_at_a_time_per_host_while_hosts_go_in_parallel(checker):
    with Site() as site:  # its own server: no slow request of another test still running
        hosts = ("127.0.0.1", "localhost")
        urls = [site.url(f"/busy/{n}", host) for n in range(6) for host in hosts]
        results = checker.check_many(urls)
    assert set(results) == set(urls) and all(r.ok for r in results.values())
    assert {site.most_in_flight[f"{host}:{site.port}"] for host in hosts} == {1}
    # Each page once (HEAD): nothing asked twice, nothing dropped.
    assert sum(1 for _m, path, _h, _a in site.hits if path.startswith("/busy/")) == 12


def test_a_pause_is_kept_between_two_requests_to_the_same_host(site):
    import time

    checker = Checker(timeout=(1, 1), delay=0.3, workers=2, max_redirects=3, allow_private=True)
    start = time.monotonic()
    checker.check_many([site.url("/ok?pause1"), site.url("/ok?pause2")])
    # robots.txt, then two HEADs: two pauses at least.
    assert time.monotonic() - start >= 0.6


def test_private_and_loopback_addresses_are_refused_unless_allowed(site, settings):
    checker = Checker(timeout=(1, 1), delay=0, workers=1, max_redirects=3, allow_private=False)
    hits = len(site.hits)
    result = checker.check(site.url("/ok?ssrf"))
    assert result.ok is None and "adresse privée" in result.detail
    assert len(site.hits) == hits
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1"):
        with pytest.raises(Refused):
            public_address(address, 80)
    assert public_address("127.0.0.1", 80, allow_private=True) == "127.0.0.1"


def test_only_http_and_https_are_requested(checker):
    result = checker.check("ftp://example.org/file")
    assert result.ok is None and "http" in result.detail


def test_an_unknown_host_is_a_broken_link(checker):
    result = checker.check("http://nowhere.invalid/page")
    assert result.ok is False and "introuvable" in result.detail


def test_the_per_host_lock_holds_even_for_threads_checking_the_same_host(checker):
    """A redirect can lead one host's thread to another's host: the lock, not the split of
    the work by host, is what keeps one request in flight there."""
    import threading

    with Site() as site:
        threads = [
            threading.Thread(target=checker.check, args=(site.url(f"/busy/t{n}"),))
            for n in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert site.most_in_flight[f"127.0.0.1:{site.port}"] == 1
    assert len([p for p in site.paths() if p.startswith("/busy/t")]) == 6
