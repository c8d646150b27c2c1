"""What a commune's home page gathers from the rest of its site."""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from communes.models import Collectivite, EventPage, MairiePage, NewsPage


def _mairie_below(home):
    return (
        MairiePage.objects.child_of(home)
        .live()
        .public()
        .prefetch_related("opening_hours", "hours_exceptions")
        .first()
    )


def home_context(home):
    now = timezone.now()
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
    return {
        "latest_news": NewsPage.objects.live()
        .public()
        .filter(path__startswith=home.path)
        .order_by("-date", "-pk")[:3],
        "upcoming_events": EventPage.objects.live()
        .public()
        .filter(path__startswith=home.path, end__gte=now)
        .order_by("start")[:3],
        "mairie": mairie,
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
