"""The demo's routing table and « Candidater » page (make seed: `manage.py seed_applications`).

The partners are fictional, on example.org, and say so in their names: a demo that mailed a
real chamber would be a nuisance. Idempotent: partners are matched by address; the page is
made once, then translated into English (« Apply », /en/settle-in/apply/) once its parent
exists in English.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from wagtail.models import Locale

from communes.models import Collectivite
from newcomers.models.application_page import GUIDE_INDEX, ApplicationPage
from newcomers.models.applications import Partner
from newcomers.models.sectors import Sector

DEMO_PARTNERS = [
    ("Chambre d'agriculture (fictive)", "agriculture@example.org", [Sector.AGRICULTURE]),
    ("Chambre de métiers et de l'artisanat (fictive)", "artisanat@example.org", [Sector.ARTISANAT]),
    (
        "CCI de Bergerac (fictive)",
        "cci@example.org",
        [Sector.COMMERCE, Sector.SERVICES, Sector.TOURISME],
    ),
    ("Réseau santé du Bergeracois (fictif)", "sante@example.org", [Sector.SANTE]),
]
PAGE_SLUG = "candidater"
PAGE_EN = {
    "title": "Apply",
    "slug": "apply",
    "intro": (
        "<p>Want to start or take over a business around Bergerac? Describe your project: "
        "the Pays passes your application on to the partner who follows your sector (Chamber "
        "of Agriculture, Chamber of Trades, Chamber of Commerce or health network), who gets "
        "back to you.</p>"
    ),
}
PAGE_INTRO = (
    "<p>Vous voulez créer ou reprendre une activité en Bergeracois ? Décrivez votre projet : "
    "le Pays transmet votre candidature au partenaire qui suit votre secteur (chambre "
    "d'agriculture, chambre de métiers, CCI ou réseau santé), qui vous recontacte.</p>"
)


@dataclass
class DemoApplicationsReport:
    partners_created: int = 0
    page_created: bool = False
    english_page_created: bool = False
    notes: list = field(default_factory=list)


def _form_parent():
    """Below the guide's index when the guide is there, else the portal's home."""
    try:
        guide_index = apps.get_model(GUIDE_INDEX)
    except LookupError:
        guide_index = None
    if guide_index is not None:
        index = guide_index.objects.filter(locale__language_code="fr").first()
        if index is not None:
            return index
    pays = Collectivite.objects.filter(kind=Collectivite.Kind.PAYS).first()
    if pays is None or pays.home_page_id is None:
        return None
    return pays.home_page.specific


def create_demo_applications() -> DemoApplicationsReport:
    report = DemoApplicationsReport()
    with transaction.atomic():
        for name, email, sectors in DEMO_PARTNERS:
            _partner, created = Partner.objects.get_or_create(
                email=email, defaults={"name": name, "sectors": [str(s) for s in sectors]}
            )
            report.partners_created += created
        parent = _form_parent()
        if parent is None:
            report.notes.append("Portail du Pays non provisionné : pas de page de candidature.")
            return report
        page = ApplicationPage.objects.filter(locale__language_code="fr").first()
        if page is None and not ApplicationPage.objects.exists():
            page = parent.add_child(
                instance=ApplicationPage(
                    title="Candidater", slug=PAGE_SLUG, intro=PAGE_INTRO, show_in_menus=True
                )
            )
            page.save_revision().publish()
            report.page_created = True
        if page is not None:
            report.english_page_created = _translate_form(page)
    return report


def _translate_form(page):
    """The form in English below the English copy of its parent (the guide's /en/settle-in/,
    made by seed_newcomers), when there is one and the form has no English version yet."""
    locale = Locale.objects.filter(language_code="en").first()
    if locale is None or page.get_translation_or_none(locale) is not None:
        return False
    if page.get_parent().get_translation_or_none(locale) is None:
        return False
    english = page.copy_for_translation(locale)
    for name, value in PAGE_EN.items():
        setattr(english, name, value)
    english.save()
    english.save_revision().publish()
    return True
