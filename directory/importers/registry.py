"""One mairie per commune, from Bastide's own registry and each site's « La mairie » page:
address, phone, e-mail and hours as the secretary keeps them there. Communes whose mairie
the Annuaire de l'administration already lists are left to it: their registry entry is
archived rather than shown twice."""

from django.utils.translation import gettext_lazy

from directory.importers.base import EntryRecord, Importer, Source


class RegistryMairiesImporter(Importer):
    source = "mairies"
    label = gettext_lazy("Mairies du registre des collectivités")
    needs_origin = False

    def fetch(self, origin=None):
        return Source(str(self.label), [])

    def parse(self, source):
        from communes.models import Collectivite, MairiePage
        from directory.models import ServiceEntry

        covered = ServiceEntry.objects.active().filter(
            source="annuaire", category__slug="mairie", commune__isnull=False
        )
        communes = (
            Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE)
            .exclude(pk__in=covered.values("commune_id"))
            .order_by("code")
        )
        pages = {}
        for page in (
            MairiePage.objects.filter(locale__language_code="fr")
            .live()
            .prefetch_related("opening_hours")
        ):
            pages.setdefault(page.path[: -page.steplen], page)  # keyed by the home's path
        homes = dict(
            Collectivite.objects.exclude(home_page=None).values_list("pk", "home_page__path")
        )
        for commune in communes:
            page = pages.get(homes.get(commune.pk))
            fields = {
                "postcode": (commune.postcodes or [""])[0],
                "city": commune.name,
                "latitude": None,
                "longitude": None,
                "position_approximate": True,
            }
            hours = []
            if page is not None:
                fields.update(address=page.address, phone=page.phone, email=page.email)
                if page.latitude is not None and page.longitude is not None:
                    fields.update(
                        latitude=page.latitude, longitude=page.longitude, position_approximate=False
                    )
                hours = [
                    {name: getattr(row, name) for name in row.VALUE_FIELDS}
                    for row in page.opening_hours.all()
                ]
            yield EntryRecord(
                external_id=commune.code,
                name=f"Mairie de {commune.name}",
                category="mairie",
                commune_code=commune.code,
                fields=fields,
                hours=hours,
            )
