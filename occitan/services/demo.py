"""The demo of the Occitan section (`make seed` only, through `seed_occitan`).

- the portal's index page at /occitan/, when the section's page type is installed;
- the seed files of occitan/data/ imported, every row « à relire »;
- a demo reviewer, `occitan-relecture`, who publishes the entries whose forms the data's README
  does not flag for review, and a handful of greetings; the rest stays in the admin only;
- a partner account, `occitan-redaction`, in the section's editing group (the same two
  accounts `create_demo_accounts` gives the secretaries' password at the end of the seed).

The demo's review is a demonstration, not a speaker's: every published row still says that
its Occitan is Apertium's machine translation (credit and `machine_suggestion`), and its
history says who published it: the demo reviewer.

Idempotent: a second run finds everything in place and writes nothing. Passwords are
`create_demo_accounts`' business (it runs last and prints them all), unless one is given.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Locale

from communes.models import PortalHomePage
from occitan import text
from occitan.models import Entry, Expression
from occitan.models.lexicon import SOURCE_APERTIUM
from occitan.services.csv_import import ENTRIES, EXPRESSIONS, import_csv
from serving.cache import deferred_bumps

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_FILES = {ENTRIES: DATA / "lexicon-seed.csv", EXPRESSIONS: DATA / "expressions-seed.csv"}

REVIEWER_USERNAME = "occitan-relecture"
PARTNER_USERNAME = "occitan-redaction"
# Provisioned by the section's editors' part; without them, plain accounts.
SET_LATER = "(mot de passe donné par create_demo_accounts)"
REVIEW_GROUP = "Occitan — relecture"
EDITING_GROUP = "Occitan — rédaction"

# « Points for the reviewer » of occitan/data/README.md: an entry is left « à relire » when
# its French, or its French example, has one of these words (their Occitan is in doubt).
FLAGGED = (
    "mairie",  # → la comuna (also in « hôtel de ville », and in examples)
    "maire",
    "fille",
    "grand-mère",
    "grand-père",
    "colline",
    "forêt",
    "canard",
    "cèpe",
    "courriel",
    "anniversaire",
    "réunion",
    "octobre",
    "s'il vous plaît",
)
# The thirteen words spelled the same in both languages (README): left « à relire » too.
IDENTICAL = (
    "non",
    "argent",
    "vendre",
    "oncle",
    "un",
    "quatre",
    "onze",
    "cent",
    "mai",
    "octobre",
    "novembre",
    "arbre",
    "internet",
)
# Greetings and welcomes the demo reviewer publishes; the other expressions stay à relire.
PUBLISHED_EXPRESSIONS = (
    "Bonjour à tous !",
    "Bienvenue dans notre village !",
    "Bienvenue à Bergerac !",
    "Bienvenue en Périgord !",
    "À demain !",
    "Bonne soirée !",
    "Joyeux Noël !",
    "Merci beaucoup et à bientôt !",
)
_FLAGGED = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(text.normalise(w)) for w in FLAGGED) + r")(?![\w-])"
)


def flagged(entry) -> bool:
    """Whether the README asks a reviewer about this entry's Occitan."""
    if text.normalise(entry.french) in {text.normalise(w) for w in IDENTICAL}:
        return True
    return any(_FLAGGED.search(text.normalise(t)) for t in (entry.french, entry.example_fr))


@dataclass
class DemoReport:
    index: str = ""
    imports: dict = field(default_factory=dict)
    published: dict = field(default_factory=lambda: {ENTRIES: 0, EXPRESSIONS: 0})
    accounts: list = field(default_factory=list)  # (username, password, group or "")

    @property
    def summary(self):
        lines = [f"occitan: index page {self.index}"]
        for kind, report in self.imports.items():
            lines.append(f"occitan: {kind}: {report.summary}")
            lines.extend(f"  {error}" for error in report.errors)
        lines.append(
            f"occitan: published by {REVIEWER_USERNAME}: {self.published[ENTRIES]} entries, "
            f"{self.published[EXPRESSIONS]} expressions"
        )
        for username, password, group in self.accounts:
            lines.append(f"  {username:<32} {password}   ({group or 'sans groupe'})")
        return "\n".join(lines)


def _index_page():
    try:
        model = apps.get_model("occitan", "OccitanIndexPage")
    except LookupError:
        return "skipped (occitan.OccitanIndexPage is not installed)"
    portal = PortalHomePage.objects.filter(locale=Locale.get_default()).first()
    if portal is None:
        raise ValueError("Le portail du Pays n'existe pas : lancez provision --all d'abord.")
    if model.objects.descendant_of(portal).exists():
        return "already there"
    if portal.get_children().filter(slug="occitan").exists():
        return "skipped (/occitan/ is another page)"
    page = model(title="Occitan", slug="occitan")
    portal.add_child(instance=page)
    page.save_revision().publish()
    return "created at /occitan/"


def _account(username, group_name, password, first_name):
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": "(démonstration)",
            "email": f"{username}@example.org",
            "is_active": True,
        },
    )
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group = Group.objects.filter(name=group_name).first()
    if group is not None:
        user.groups.add(group)
    return user, (group.name if group else "")


def _publish(items, reviewer):
    published = 0
    for item in items:
        if item.live or item.latest_revision is None:
            continue
        item.publish(item.latest_revision, user=reviewer, skip_permission_checks=True)
        published += 1
    return published


@transaction.atomic
def seed_occitan(password=None) -> DemoReport:
    report = DemoReport()
    with deferred_bumps():
        report.index = _index_page()
        for kind, path in SEED_FILES.items():
            report.imports[kind] = import_csv(path.read_bytes(), kind)
        reviewer, group = _account(REVIEWER_USERNAME, REVIEW_GROUP, password, "Relecture")
        report.accounts.append((REVIEWER_USERNAME, password or SET_LATER, group))
        _partner, group = _account(PARTNER_USERNAME, EDITING_GROUP, password, "IEO")
        report.accounts.append((PARTNER_USERNAME, password or SET_LATER, group))
        entries = Entry.objects.filter(live=False, source=SOURCE_APERTIUM).select_related(
            "latest_revision"
        )
        report.published[ENTRIES] = _publish([e for e in entries if not flagged(e)], reviewer)
        expressions = Expression.objects.filter(
            live=False, source=SOURCE_APERTIUM, literal__in=PUBLISHED_EXPRESSIONS
        ).select_related("latest_revision")
        report.published[EXPRESSIONS] = _publish(expressions, reviewer)
    return report
