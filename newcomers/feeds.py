"""RSS feed of the current offers: an expired offer leaves it the day after its expiry."""

import datetime

from django.http import HttpResponse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from communes.services.hours import PARIS
from newcomers.services.offers import current_offers, offer_links
from serving.clock import changes_at, next_midnight

FEED_SIZE = 50


def offers_feed(request, index):
    base = index.get_full_url(request)
    feed = Rss201rev2Feed(
        title=index.title,
        link=base,
        description=_("Les entreprises à reprendre dans le Pays, mises à jour chaque jour."),
        language=index.locale.language_code,
        feed_url=request.build_absolute_uri(),
    )
    offer_link = offer_links(index, request, absolute=True)
    changes_at(next_midnight(), "offres en cours")
    for offer in current_offers(index)[:FEED_SIZE]:
        link = offer_link(offer)
        summary = f"{offer.get_sector_display()} — {offer.commune.name}. "
        summary += Truncator(strip_tags(offer.description)).words(60)
        feed.add_item(
            title=offer.title,
            link=link,
            description=summary,
            pubdate=datetime.datetime.combine(
                offer.published_date, datetime.time(8, 0), tzinfo=PARIS
            ),
            unique_id=link,
            categories=[str(offer.get_sector_display())],
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
