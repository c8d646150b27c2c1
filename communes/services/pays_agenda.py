"""The Pays' agenda and news: the events and news items the collectivités relay to the
portal (`relay_to_portal`), read once per content version as plain values and filtered
at each view, so that a warm page, feed or calendar costs no query."""

import dataclasses
import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Locale

from communes.agenda_filters import EVENTS, NEWS, PaysAgendaFilterForm, period_bounds
from communes.models import Collectivite, EventPage, NewsPage, PortalAgendaPage
from communes.services.hours import PARIS, time_label
from communes.services.ical import calendar_response
from serving.cache import cached
from serving.clock import changes_at, just_after, next_midnight
from serving.pages import site_of, site_root_paths

PAGE_SIZE = 20
FEED_SIZE = 50
# Past events and news older than this are not kept: the agenda looks ahead.
KEPT_DAYS = 365
FILTERS = ("categorie", "epci", "commune", "periode", "du", "au")


@dataclasses.dataclass(frozen=True)
class Item:
    """An event or a news item of a collectivité, as the Pays' agenda lists it."""

    kind: str  # EVENTS or NEWS
    pk: int
    title: str
    url: str  # absolute, on the collectivité's own site
    intro: str  # plain text
    place: str
    start: datetime.datetime | None  # events
    end: datetime.datetime | None
    day: datetime.date  # the day it is listed under, in Paris
    published: datetime.datetime | None
    collectivite: str
    collectivite_slug: str
    epci_slug: str  # its EPCI's, or its own for an EPCI
    hostname: str

    @property
    def ical_uid(self):
        """The UID its commune's own iCal feed gives it (communes.services.ical)."""
        return f"event-{self.pk}@{self.hostname}"

    def get_full_url(self, request=None):
        return self.url


def pays_agenda():
    return cached("pays-agenda", [], _build)


def _collectivite_of(path, by_home_path):
    for length in range(4, len(path), 4):  # treebeard's steplen
        found = by_home_path.get(path[:length])
        if found is not None:
            return found
    return None


def _full_url(page, roots):
    # Without a request, Wagtail takes the most specific site: the commune's own, not the
    # portal's copy under /communes/<slug>/.
    page._wagtail_cached_site_root_paths = roots
    return page.get_full_url()


def _build():
    collectivites = list(
        Collectivite.objects.members()
        .provisioned()
        .filter(home_page__isnull=False)
        .values(
            "name", "slug", "kind", "epci__slug", "epci__name", "home_page__path", "site__hostname"
        )
        .order_by("name")
    )
    by_home_path = {c["home_page__path"]: c for c in collectivites}
    since = timezone.now() - datetime.timedelta(days=KEPT_DAYS)
    locale = Locale.get_default()
    roots = site_root_paths()

    def relayed(model):
        return model.objects.live().public().filter(locale=locale, relay_to_portal=True)

    def item(page, kind, **values):
        c = _collectivite_of(page.path, by_home_path)
        if c is None:  # an archived collectivité's page, or one outside any site
            return None
        own_epci = c["kind"] == Collectivite.Kind.EPCI
        return Item(
            kind=kind,
            pk=page.pk,
            title=page.title,
            url=_full_url(page, roots),
            intro=" ".join(strip_tags(page.intro or "").split()),
            published=page.last_published_at,
            collectivite=c["name"],
            collectivite_slug=c["slug"],
            epci_slug=c["slug"] if own_epci else (c["epci__slug"] or ""),
            hostname=c["site__hostname"] or "",
            **values,
        )

    event_pages = list(relayed(EventPage).filter(end__gte=since).order_by("start", "pk"))
    news_pages = list(relayed(NewsPage).filter(date__gte=since.date()).order_by("-date", "-pk"))
    agenda_page = PortalAgendaPage.objects.live().public().first()
    # Their sites, in a query per 500 pages: never the root paths of every site.
    roots.prefetch([*event_pages, *news_pages, *([agenda_page] if agenda_page else [])])
    events = [
        item(
            page,
            EVENTS,
            place=page.place,
            start=page.start,
            end=page.end,
            day=timezone.localtime(page.start, PARIS).date(),
        )
        for page in event_pages
    ]
    news = [item(page, NEWS, place="", start=None, end=None, day=page.date) for page in news_pages]
    return {
        "events": [e for e in events if e is not None],
        "news": [n for n in news if n is not None],
        # The EPCI of the provisioned collectivités, provisioned themselves or not.
        "epcis": sorted(
            {(c["epci__slug"], c["epci__name"]) for c in collectivites if c["epci__slug"]}
            | {(c["slug"], c["name"]) for c in collectivites if c["kind"] == "epci"},
            key=lambda pair: pair[1],
        ),
        "collectivites": [(c["slug"], c["name"]) for c in collectivites],
        "agenda_url": _full_url(agenda_page, roots) if agenda_page else "",
    }


def select(data, filters, now=None):
    """The items the filters keep, in the order they are listed."""
    now = now or timezone.now()
    today = timezone.localtime(now, PARIS).date()
    first, after = filters["start"], filters["end"]
    if after:
        after += datetime.timedelta(days=1)
    if not (first or after) and filters["period"]:
        first, after = period_bounds(filters["period"], today)
        changes_at(next_midnight(now), "période")  # « cette semaine » moves on with the days
        if filters["kind"] == EVENTS:
            first = None  # this week's or this month's events still to come
    items = data["events"] if filters["kind"] == EVENTS else data["news"]
    kept = []
    for item in items:
        if filters["epci"] and item.epci_slug != filters["epci"]:
            continue
        if filters["commune"] and item.collectivite_slug != filters["commune"]:
            continue
        if item.kind == EVENTS:
            # An event is listed on the days it overlaps; by default, until it has ended.
            if first is None and item.end < now:
                continue
            if first is not None and item.end < _midnight(first):
                continue
            if after is not None and item.start >= _midnight(after):
                continue
        else:
            if first is not None and item.day < first:
                continue
            if after is not None and item.day >= after:
                continue
        kept.append(item)
    if filters["kind"] == EVENTS and first is None:
        # Listed until it has ended: the list changes when the first listed ends.
        changes_at(just_after(min((item.end for item in kept), default=None)), "agenda du Pays")
    elif filters["kind"] != EVENTS:
        changes_at(next_midnight(now), "actualités récentes")  # the KEPT_DAYS window
    return kept


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time(), PARIS)


def upcoming_in_pays(count=5):
    """The next events of the Pays, for the portal's home page."""
    data = pays_agenda()
    now = timezone.now()
    events = [event for event in data["events"] if event.end >= now][:count]
    changes_at(just_after(min((e.end for e in events), default=None)), "à venir dans le Pays")
    return {"events": events, "agenda_url": data["agenda_url"]}


def _form(request, data):
    bound = any(name in request.GET for name in FILTERS)
    if not bound:
        # The unfiltered form is rendered once per content version (the template's memo):
        # built only if that rendering is needed, its 160 choices copied for nothing otherwise.
        form = SimpleLazyObject(
            lambda: PaysAgendaFilterForm(None, data["epcis"], data["collectivites"])
        )
        return form, bound, PaysAgendaFilterForm.default_filters()
    form = PaysAgendaFilterForm(request.GET, data["epcis"], data["collectivites"])
    return form, bound, form.filters()


def _days(items):
    days = []
    for item in items:
        if days and days[-1][0] == item.day:
            days[-1][1].append(item)
        else:
            days.append((item.day, [item]))
    return days


def _title(filters, count):
    if filters["kind"] == NEWS:
        text = ngettext("%(count)d actualité", "%(count)d actualités", count)
    elif filters["start"] or filters["end"]:
        text = ngettext("%(count)d événement", "%(count)d événements", count)
    else:
        text = ngettext("%(count)d événement à venir", "%(count)d événements à venir", count)
    return text % {"count": count}


def feed_query(request):
    """The filters of this view, for the links to its RSS and iCal feeds."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def listing(request, page):
    """The context of the agenda's page, and its status: 400 when a filter is not
    understood (listed above the form; the list below leaves it out)."""
    data = pays_agenda()
    form, bound, filters = _form(request, data)
    items = select(data, filters)
    paginator = Paginator(items, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = feed_query(request)
    context = {
        "form": form,
        "filtered": bound,
        "filters": filters,
        "news": filters["kind"] == NEWS,
        "days": _days(page_obj.object_list),
        "results_title": _title(filters, paginator.count),
        "page_obj": page_obj,
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "rss_url": page.url + page.reverse_subpage("rss") + (f"?{query}" if query else ""),
        "ical_url": page.url + page.reverse_subpage("ical") + (f"?{query}" if query else ""),
    }
    return context, 400 if bound and form.errors else 200


def rss_response(request, page):
    """RSS of what the page lists with the same filters; filters not understood are left
    out (a feed reader shows no message)."""
    data = pays_agenda()
    _form_, _bound, filters = _form(request, data)
    items = select(data, filters)[:FEED_SIZE]
    site = site_of(page)
    feed = Rss201rev2Feed(
        title=f"{site.site_name} — {page.title}",
        link=page.get_full_url(request),
        description=_("Les événements et les actualités des collectivités du Pays"),
        language="fr",
        feed_url=request.build_absolute_uri(),
    )
    for item in items:
        if item.kind == EVENTS:
            when = timezone.localtime(item.start, PARIS)
            description = _("%(date)s, %(place)s. %(intro)s") % {
                "date": _("%(day)s à %(time)s")
                % {"day": when.strftime("%d/%m/%Y"), "time": time_label(when.time())},
                "place": ", ".join(p for p in (item.place, item.collectivite) if p),
                "intro": item.intro,
            }
            published = item.published or item.start
        else:
            description = item.intro
            published = datetime.datetime.combine(item.day, datetime.time(8, 0), tzinfo=PARIS)
        feed.add_item(
            title=f"{item.title} ({item.collectivite})",
            link=item.url,
            description=description.strip(),
            pubdate=published,
            unique_id=item.url,
            categories=[item.collectivite],
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def ical_response(request, page):
    """iCal of the events the page lists with the same filters (news have no date to put in
    a calendar); without dates, the last 90 days too, as a commune's feed does."""
    data = pays_agenda()
    _form_, _bound, filters = _form(request, data)
    filters = {**filters, "kind": EVENTS}
    if not (filters["start"] or filters["end"] or filters["period"]):
        since = timezone.localtime(timezone.now() - datetime.timedelta(days=90), PARIS)
        filters["start"] = since.date()
        changes_at(next_midnight(), "90 derniers jours")
    events = [
        dataclasses.replace(
            event, place=", ".join(p for p in (event.place, event.collectivite) if p)
        )
        for event in select(data, filters)
    ]
    site = site_of(page)
    return calendar_response(
        request, events, filename="agenda-du-pays.ics", name=f"{site.site_name} — {page.title}"
    )
