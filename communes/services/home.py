"""What a commune's home page gathers from the rest of its site."""

import copy

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from communes.models import Collectivite, CouncilMeetingPage, EventPage, MairiePage, NewsPage
from serving.cache import cached
from serving.clock import changes_at, just_after
from serving.pages import site_root_paths


def _mairie_below(home):
    return (
        MairiePage.objects.child_of(home)
        .live()
        .public()
        .prefetch_related("opening_hours", "hours_exceptions")
        .first()
    )


# Upcoming events kept per content version; those that end are dropped at each view.
EVENTS_KEPT = 20


def _upcoming_events(home):
    return list(
        EventPage.objects.live()
        .public()
        .filter(path__startswith=home.path, end__gte=timezone.now())
        .order_by("start")[:EVENTS_KEPT]
    )


# Meetings to come kept per content version, for « Prochain conseil »; same rule as events.
MEETINGS_KEPT = 3


def _upcoming_meetings(home):
    return list(
        CouncilMeetingPage.objects.live()
        .public()
        .filter(path__startswith=home.path, date__gte=timezone.now())
        .order_by("date")[:MEETINGS_KEPT]
    )


def _home_data(home):
    mairie = _mairie_below(home)
    if mairie is None and not home.locale.is_default:
        # Not translated yet: the mairie's hours are the same in every language.
        source = home.get_translations().filter(locale=Locale.get_default()).first()
        mairie = _mairie_below(source) if source else None
    collectivite = (
        Collectivite.objects.filter(home_page__translation_key=home.translation_key)
        .only("code", "kind", "name")
        .first()
    )
    data = {
        "latest_news": list(
            NewsPage.objects.live()
            .public()
            .filter(path__startswith=home.path)
            .order_by("-date", "-pk")[:3]
        ),
        "upcoming_events": _upcoming_events(home),
        "upcoming_meetings": _upcoming_meetings(home),
        "mairie": mairie,
        "collectivite": collectivite,
    }
    # The sites of the pages it links to, in one query (serving.siteurls.SiteRoots).
    shown = [*data["latest_news"], *data["upcoming_events"], *data["upcoming_meetings"]]
    site_root_paths().prefetch([page for page in [*shown, mairie] if page is not None])
    return data


def home_context(home):
    """What the home page shows, read once per content version; the time-dependent parts
    (opening status, events and council meetings still to come) are worked out at each
    view."""
    data = cached("home", [home.pk], lambda: _home_data(home), shared=False)
    now = timezone.now()
    events = [event for event in data["upcoming_events"] if event.end >= now]
    if len(events) < 3 and len(data["upcoming_events"]) == EVENTS_KEPT:
        events = _upcoming_events(home)  # more ended than were kept: read them again
    meetings = [meeting for meeting in data["upcoming_meetings"] if meeting.date >= now]
    if not meetings and len(data["upcoming_meetings"]) == MEETINGS_KEPT:
        meetings = _upcoming_meetings(home)
    # The list moves on when one of the three shown ends (the next takes its place);
    # « Prochain conseil » when the next meeting's time has passed.
    changes_at(just_after(min((e.end for e in events[:3]), default=None)), "événements")
    changes_at(just_after(meetings[0].date) if meetings else None, "prochain conseil")
    collectivite = data["collectivite"]
    return {
        "latest_news": data["latest_news"],
        "upcoming_events": events[:3],
        "next_meeting": meetings[0] if meetings else None,
        # A copy per view: the opening status is computed, and kept, on the instance.
        "mairie": copy.copy(data["mairie"]) if data["mairie"] else None,
        "local_data_links": local_data_links(collectivite) if collectivite else [],
    }


def local_data_links(collectivite):
    """ "Données locales": official statistics and maps for this INSEE code."""
    if collectivite.kind != Collectivite.Kind.COMMUNE:
        return []
    code = collectivite.code
    return [
        (
            _("Statistiques INSEE"),
            f"https://www.insee.fr/fr/statistiques/zones/dossier_complet?geo=COM-{code}",
        ),
        (
            _("Risques naturels (Géorisques)"),
            f"https://www.georisques.gouv.fr/mes-risques/connaitre-les-risques-pres-de-chez-moi/rapport2?codeInsee={code}",
        ),
        (_("Cadastre"), f"https://cadastre.data.gouv.fr/map?style=ortho&parcelleId={code}"),
        (
            _("Annuaire des services publics"),
            f"https://lannuaire.service-public.fr/navigation/commune/{code}",
        ),
        (
            _("Données ouvertes (data.gouv.fr)"),
            f"https://www.data.gouv.fr/fr/territories/commune/{code}@latest/",
        ),
    ]
