"""RSS feed of a site's news."""

import datetime

from django.http import HttpResponse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from communes.services.hours import PARIS


def news_feed(request, index_page, limit=30):
    site = index_page.get_site()
    feed = Rss201rev2Feed(
        title=f"{site.site_name} — {index_page.title}",
        link=index_page.get_full_url(request),
        description=_("Les actualités de %(site)s") % {"site": site.site_name},
        language=index_page.locale.language_code,
        feed_url=request.build_absolute_uri(),
    )
    for item in index_page.news()[:limit]:
        published = datetime.datetime.combine(item.date, datetime.time(8, 0), tzinfo=PARIS)
        feed.add_item(
            title=item.title,
            link=item.get_full_url(request),
            description=strip_tags(item.intro),
            pubdate=published,
            unique_id=item.get_full_url(request),
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
