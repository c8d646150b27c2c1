"""The admin speaks French and Bastide's name, not Python's values or Wagtail's brand."""

import re

import pytest

from conftest import COMMUNE_A, host_client, member

pytestmark = pytest.mark.django_db


def visible_text(html):
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_page_search_counts_pages_and_tabs_name_bastide(communes):
    client = host_client("pays.test")
    client.force_login(member("sec-a", communes[COMMUNE_A], "secretariat"))
    html = client.get("/admin/pages/search/?q=mairie").content.decode()
    text = visible_text(html)
    assert re.search(r"1-\d+ sur \d+ pages", text), text[:2000]
    assert "None" not in text
    assert re.search(r"<title>\s*Rechercher - Bastide\s*</title>", html)


def test_the_explorer_filters_offer_only_the_secretarys_own_site_and_people(communes, pays):
    from wagtail.log_actions import log
    from wagtail.models import Page

    from conftest import COMMUNE_B

    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    other = member("secretaire-de-b", b, "secretariat")
    other.first_name, other.last_name = "Bérénice", "Autrecommune"
    other.save()
    b_home = Page.objects.get(pk=b.site.root_page_id)
    Page.objects.filter(pk=b_home.pk).update(owner=other)
    log(instance=b_home, action="wagtail.edit", user=other)
    client = host_client("pays.test")
    client.force_login(member("sec-a", a, "secretariat"))
    html = client.get(f"/admin/pages/{a.site.root_page_id}/").content.decode()
    assert a.site.site_name in html  # its own site is offered
    assert b.site.site_name not in html
    assert "Autrecommune" not in html and "secretaire-de-b" not in html
    staff = host_client("pays.test")
    staff.force_login(
        member("equipe", communes[COMMUNE_A].__class__.objects.get(code="PAYS"), "equipe")
    )
    html = staff.get(f"/admin/pages/{a.site.root_page_id}/").content.decode()
    assert b.site.site_name in html and "Autrecommune" in html  # the Pays team sees all
