"""The quality of each site: its to-dos (what is missing, what is stale) and a score.

The score is the share of the checks that apply to the collectivité's kind that pass,
weighted (CHECKS), minus a penalty for the problems the link checker found (at most
ISSUE_PENALTY_CAP points). docs/quality.md gives the table.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communes.models import Collectivite
from quality.models import LinkIssue
from quality.services.essentials import LEGAL_SLUGS, SiteFacts, Todo, gather_facts

COMMUNE, EPCI, SYNDICAT = (
    Collectivite.Kind.COMMUNE,
    Collectivite.Kind.EPCI,
    Collectivite.Kind.SYNDICAT,
)
# code: (weight, kinds it applies to). A syndicat has no elected officials page of its own
# nor a photo of a place, and an EPCI no photo sync: they are not held to those.
CHECKS = {
    "hours": (15, {COMMUNE, EPCI, SYNDICAT}),
    "contact": (10, {COMMUNE, EPCI, SYNDICAT}),
    "contact_form": (5, {COMMUNE, EPCI, SYNDICAT}),
    "photo": (10, {COMMUNE}),
    "officials": (10, {COMMUNE, EPCI}),
    "minutes": (15, {COMMUNE, EPCI}),
    "legal": (15, {COMMUNE, EPCI, SYNDICAT}),
    "news": (10, {COMMUNE, EPCI}),
    "activity": (10, {COMMUNE, EPCI, SYNDICAT}),
}
# Points taken off per problem found by the link checker, and at most in all.
ISSUE_PENALTIES = {
    LinkIssue.Kind.BROKEN_LINK: 3,
    LinkIssue.Kind.IMAGE_WITHOUT_ALT: 1,
    LinkIssue.Kind.INACCESSIBLE_DOCUMENT: 1,
}
ISSUE_PENALTY_CAP = 15


@dataclass
class SiteQuality:
    collectivite: Collectivite
    facts: SiteFacts
    todos: list
    score: int
    news_age: int | None
    minutes_age: int | None

    @property
    def missing(self):
        return [todo for todo in self.todos if not todo.stale]

    @property
    def stale(self):
        return [todo for todo in self.todos if todo.stale]

    @property
    def pending(self):
        return self.facts.pending

    @property
    def last_edit(self):
        return self.facts.last_edit

    @property
    def last_publication(self):
        return self.facts.last_publication

    def issue_count(self, kind):
        return self.facts.issues.get(kind, 0)

    @property
    def broken_links(self):
        return self.issue_count(LinkIssue.Kind.BROKEN_LINK)

    @property
    def images_without_alt(self):
        return self.issue_count(LinkIssue.Kind.IMAGE_WITHOUT_ALT)

    @property
    def inaccessible_documents(self):
        return self.issue_count(LinkIssue.Kind.INACCESSIBLE_DOCUMENT)


def site_quality(collectivites, now=None) -> list[SiteQuality]:
    """One SiteQuality per collectivité, in the order given."""
    now = now or timezone.now()
    collectivites = list(collectivites)
    facts = gather_facts(collectivites, now)
    return [_judge(c, facts[c.pk], now) for c in collectivites]


def _edit(page_id):
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def _add(model, parent_id):
    return reverse("wagtailadmin_pages:add", args=["communes", model, parent_id])


def _days(moment, today):
    if moment is None:
        return None
    day = timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment
    return (today - day).days


def _judge(c, facts: SiteFacts, now) -> SiteQuality:
    today = timezone.localdate(now)
    applies = {code for code, (_weight, kinds) in CHECKS.items() if c.kind in kinds}
    todos = []
    if facts.home_id is None:
        todos.append(Todo("site", _("Site non provisionné"), ""))
    else:
        for check in (_mairie, _contact_form, _photo, _minutes, _legal, _news, _activity):
            todos += [todo for todo in check(facts, today) if todo.code.split(":")[0] in applies]
    failed = {todo.code.split(":")[0] for todo in todos}
    total = sum(CHECKS[code][0] for code in applies)
    passed = sum(CHECKS[code][0] for code in applies - failed)
    penalty = min(
        ISSUE_PENALTY_CAP,
        sum(points * facts.issues.get(kind, 0) for kind, points in ISSUE_PENALTIES.items()),
    )
    score = 0 if facts.home_id is None or not total else round(100 * passed / total) - penalty
    return SiteQuality(
        collectivite=c,
        facts=facts,
        todos=todos,
        score=max(0, score),
        news_age=_days(facts.last_news, today),
        minutes_age=_days(facts.last_minutes, today),
    )


def _mairie(facts, today):
    mairie = facts.mairie
    if mairie is None or not mairie["live"]:
        url = _add("mairiepage", facts.home_id)
        return [
            Todo("hours", _("Page de la mairie absente : horaires d'ouverture"), url),
            Todo("contact", _("Page de la mairie absente : téléphone et courriel"), url),
            Todo("officials", _("Page de la mairie absente : élus"), url),
        ]
    url = _edit(mairie["pk"])
    todos = []
    if not mairie["n_hours"]:
        todos.append(Todo("hours", _("Horaires d'ouverture non renseignés"), url))
    if not (mairie["phone"] or mairie["email"]):
        todos.append(Todo("contact", _("Ni téléphone ni courriel de contact"), url))
    if not mairie["n_officials"]:
        todos.append(Todo("officials", _("Aucun élu renseigné"), url))
    return todos


def _contact_form(facts, today):
    contact = facts.contact
    if contact is None or not contact["live"]:
        url = _add("contactpage", facts.home_id)
        return [Todo("contact_form", _("Page « Contact » absente ou dépubliée"), url)]
    if not contact["to_address"]:
        label = _("Formulaire de contact sans adresse de destination")
        return [Todo("contact_form", label, _edit(contact["pk"]))]
    return []


def _photo(facts, today):
    if facts.photo_id is None:
        return [Todo("photo", _("Pas de photo sur la page d'accueil"), _edit(facts.home_id))]
    return []


def _minutes(facts, today):
    meeting = facts.last_meeting
    if meeting and "pk" in meeting and not meeting["has_minutes"]:
        label = _("Procès-verbal de la séance du %(date)s non publié") % {
            "date": date_format(timezone.localtime(meeting["date"]), "SHORT_DATE_FORMAT")
        }
        return [Todo("minutes", label, _edit(meeting["pk"]))]
    url = _add("councilmeetingpage", facts.council_index_id) if facts.council_index_id else ""
    age = _days(facts.last_minutes, today)
    if age is None:
        return [Todo("minutes", _("Aucun procès-verbal de conseil publié"), url)]
    if age > settings.QUALITY_STALE_MINUTES_DAYS:
        label = _("Dernier procès-verbal publié il y a %(days)s jours") % {"days": age}
        return [Todo("minutes", label, url, stale=True)]
    return []


def _legal(facts, today):
    todos = []
    for slug in LEGAL_SLUGS:
        page = facts.legal.get(slug)
        if page is None or not page["live"]:
            label = _("Page légale absente : %(slug)s") % {"slug": slug}
            todos.append(Todo(f"legal:{slug}", label, reverse(
                "wagtailadmin_pages:add_subpage", args=[facts.home_id]
            )))  # fmt: skip
        elif page["empty"]:
            label = _("Page légale vide : « %(title)s »") % {"title": page["title"]}
            todos.append(Todo(f"legal:{slug}", label, _edit(page["pk"])))
    return todos


def _news(facts, today):
    url = _add("newspage", facts.news_index_id) if facts.news_index_id else ""
    age = _days(facts.last_news, today)
    if age is None:
        return [Todo("news", _("Aucune actualité publiée"), url)]
    if age > settings.QUALITY_STALE_NEWS_DAYS:
        label = _("Dernière actualité il y a %(days)s jours") % {"days": age}
        return [Todo("news", label, url, stale=True)]
    return []


def _activity(facts, today):
    age = _days(facts.last_edit, today)
    if age is not None and age <= settings.QUALITY_STALE_EDIT_DAYS:
        return []
    url = reverse("wagtailadmin_explore", args=[facts.home_id])
    if age is None:
        return [Todo("activity", _("Aucune modification enregistrée"), url, stale=True)]
    label = _("Aucune modification depuis %(days)s jours") % {"days": age}
    return [Todo("activity", label, url, stale=True)]
