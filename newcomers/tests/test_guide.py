"""The guide on the portal: its pages, their links to the communes and the services, and
their cost."""

import pytest

from communes.models import PortalHomePage
from newcomers.models import GuideIndexPage, GuideTopicPage, OfferPage
from newcomers.models import TestimonialPage as Testimonial
from newcomers.services.demo import create_demo_guide

GUIDE_PATHS = [
    "/installez-vous/",
    "/installez-vous/se-loger/",
    "/installez-vous/apprendre-le-francais/",
    "/installez-vous/agriculture/",
    "/installez-vous/temoignage-emma-et-tom/",
    "/installez-vous/reprises/",
    "/installez-vous/reprises/?secteur=agriculture",
    "/installez-vous/reprises/alerte/",
]


def test_the_guide_may_be_created_under_the_portal_only():
    assert GuideIndexPage in PortalHomePage.clean_subpage_models()
    assert GuideIndexPage.clean_parent_page_models() == [PortalHomePage]


def test_the_demo_creates_the_guide_once(guide):
    assert guide.pages == 14
    assert guide.offers == 6
    assert GuideTopicPage.objects.filter(section="vivre").count() == 7
    assert GuideTopicPage.objects.filter(section="entreprendre").count() == 3
    assert Testimonial.objects.count() == 2
    assert len(set(OfferPage.objects.values_list("epci", flat=True))) >= 4
    assert len(set(OfferPage.objects.values_list("sector", flat=True))) == 6
    assert all("fictive" in title for title in OfferPage.objects.values_list("title", flat=True))
    assert create_demo_guide().skipped


def test_the_index_lists_the_topics_the_testimonials_and_links_out(guide, portal_client):
    response = portal_client.get("/installez-vous/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vivre ici" in html and "Entreprendre" in html
    assert 'href="/installez-vous/se-loger/"' in html
    assert 'href="/installez-vous/temoignage-ingrid/"' in html
    assert 'href="/installez-vous/reprises/"' in html
    # The services directory, by its address, and the communes' own sites.
    assert 'href="/services/"' in html
    assert "Les communes" in html
    assert 'href="http://bergerac.pays.test/"' in html


def test_a_topic_page_has_the_guide_menu(guide, portal_client):
    html = portal_client.get("/installez-vous/se-loger/").content.decode()
    assert "<h1>Se loger</h1>" in html
    assert 'href="/installez-vous/se-loger/" aria-current="page"' in html
    assert 'href="/installez-vous/sante/"' in html


def test_an_external_video_is_a_link_that_loads_nothing_before_the_click(guide, portal_client):
    response = portal_client.get("/installez-vous/temoignage-emma-et-tom/")
    html = response.content.decode()
    assert 'href="https://peertube.example.org/w/demo-temoignage"' in html
    assert "<iframe" not in html
    assert "peertube.example.org" not in response["Content-Security-Policy"]
    assert 'src="https://peertube' not in html
    assert "Transcription de la vidéo" in html
    # The demo's photos say they are fictional, down to their alternative text.
    assert "Emma et Tom devant la boulangerie (photo fictive)" in html
    assert 'alt="Emma et Tom (personnes fictives) (photo fictive de démonstration)"' in html


def test_an_uploaded_video_has_its_captions(guide, portal_client):
    from django.core.files.base import ContentFile

    from communes.models import SiteDocument

    page = Testimonial.objects.get(slug="temoignage-ingrid")
    video = SiteDocument(title="Vidéo", file=ContentFile(b"\x00" * 16, name="ingrid.mp4"))
    video.save()
    captions = SiteDocument(title="Sous-titres", file=ContentFile(b"WEBVTT\n\n", name="ingrid.vtt"))
    captions.save()
    page.video, page.captions = video, captions
    page.save_revision().publish()
    html = portal_client.get("/installez-vous/temoignage-ingrid/").content.decode()
    assert f'<source src="{video.url}">' in html
    assert f'<track kind="captions" src="{captions.url}" srclang="fr"' in html


@pytest.mark.parametrize("path", GUIDE_PATHS)
def test_guide_pages_cost_few_queries(guide, portal_client, path, django_assert_max_num_queries):
    portal_client.get(path)
    with django_assert_max_num_queries(10):
        assert portal_client.get(path).status_code == 200, path


def test_seed_newcomers_is_idempotent(pays):
    from io import StringIO

    from django.core.management import call_command

    first, second = StringIO(), StringIO()
    call_command("seed_newcomers", stdout=first)
    call_command("seed_newcomers", stdout=second)
    assert first.getvalue().strip().splitlines() == [
        "guide: 14 pages, 6 offers",
        "guide in English: portal home created (alias of the French home), 14 pages translated",
    ]
    assert second.getvalue().strip().splitlines() == [
        "guide: already there, nothing written",
        "guide in English: portal home already there, 0 pages translated",
    ]
