"""RSS feed of a collectivité's alerts: its urgent banners (once shown) and its council
meetings, newest first. Read once per content version; which banners have started is
decided at each view."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alerts.views import site_frame
from communes.models import Banner, CouncilMeetingPage
from serving.cache import cached
from serving.clock import changes_at
from serving.pages import site_for_request

FEED_SIZE = 30


def _items(site, place, home):
    def build():
        banners = (
            Banner.objects.filter(live=True, level=Banner.Level.URGENT)
            .for_site(site, place)
            .select_related("link_page")
            .order_by("-start")[:FEED_SIZE]
        )
        meetings = (
            CouncilMeetingPage.objects.live()
            .public()
            .descendant_of(home)
            .order_by("-first_published_at")[:FEED_SIZE]
        )
        return {
            "banners": [
                {"pk": b.pk, "title": b.title, "text": b.text, "link": b.link, "at": b.start}
                for b in banners
            ],
            "meetings": [
                {
                    "pk": m.pk,
                    "date": m.date,
                    "place": m.place,
                    "url": m.get_url(current_site=site),
                    "at": m.first_published_at,
                }
                for m in meetings
            ],
        }

    return cached("alerts-feed", [site.pk, home.pk], build)


def _absolute(url, root):
    if url and url.startswith(("http://", "https://")):
        return url
    return root + (url or "/")


def feed(request):
    place, home = site_frame(request)
    site = site_for_request(request)
    items = _items(site, place, home)
    root = request.build_absolute_uri("/").rstrip("/")
    host = request.get_host()
    rss = Rss201rev2Feed(
        title=_("Alertes de %(name)s") % {"name": place.name},
        link=root + "/",
        description=_(
            "Les alertes urgentes et les séances du conseil annoncées sur le site de %(name)s."
        )
        % {"name": place.name},
        language=get_language() or "fr",
        feed_url=request.build_absolute_uri(),
    )
    now = timezone.now()
    # An urgent banner enters the feed when it starts.
    changes_at(min((b["at"] for b in items["banners"] if b["at"] > now), default=None), "alertes")
    entries = []
    for banner in items["banners"]:
        if banner["at"] > now:
            continue  # not shown yet
        entries.append(
            {
                "title": _("Alerte : %(title)s") % {"title": banner["title"]},
                "link": _absolute(banner["link"], root),
                "description": banner["text"],
                "pubdate": banner["at"],
                "unique_id": f"tag:{host},banner:{banner['pk']}",
                "unique_id_is_permalink": False,
            }
        )
    for meeting in items["meetings"]:
        when = date_format(timezone.localtime(meeting["date"]), "l j F Y à H:i")
        entries.append(
            {
                "title": _("Conseil : séance du %(when)s") % {"when": when},
                "link": _absolute(meeting["url"], root),
                "description": meeting["place"],
                "pubdate": meeting["at"],
                "unique_id": f"tag:{host},meeting:{meeting['pk']}",
                "unique_id_is_permalink": False,
            }
        )
    for entry in sorted(entries, key=lambda entry: entry["pubdate"], reverse=True):
        rss.add_item(**entry)
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    rss.write(response, "utf-8")
    return response
