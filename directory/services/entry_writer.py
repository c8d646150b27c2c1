"""Writing service entries: one transaction per record, locally edited fields kept, bad
fields trimmed or dropped with a warning rather than the whole record refused."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.importers.base import EntryRecord, Rejected
from directory.models import Category, OpeningHours, ServiceEntry
from directory.services.import_report import (
    ArchivePlan,
    fingerprint,
    records,
    validation_message,
)
from serving.cache import bump_content_version

FALLBACK_CATEGORY = "autre"
URL_FIELDS = ("website", "source_url")
PHONE_CHARACTERS = re.compile(r"^[0-9+().\-/ \u00a0]+$")
MIN_PHONE_DIGITS = 3  # 3939, 115: short numbers are numbers
# What may be emptied when a source gets it wrong: never what names the entry.
NOT_DROPPABLE = {"name", "category", "commune"}


def hours_rows(rows):
    return [{key: row.get(key) for key in OpeningHours.VALUE_FIELDS} for row in rows]


def _label(name):
    try:
        return str(ServiceEntry._meta.get_field(name).verbose_name)
    except LookupError:
        return name


def _ignored(name, value, why):
    return _("champ ignoré : %(field)s « %(value)s » (%(why)s)") % {
        "field": _label(name),
        "value": str(value)[:120],
        "why": why,
    }


def _valid_url(value):
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return len(value) <= ServiceEntry._meta.get_field("website").max_length


def _clean_url(value):
    if _valid_url(value):
        return value
    if "://" not in value and _valid_url(f"https://{value}"):
        return f"https://{value}"  # « www.mairie.fr », as sources often write it
    return None


def _clean_email(value):
    value = value.removeprefix("mailto:").strip()
    try:
        EmailValidator()(value)
    except ValidationError:
        return None
    return value


def _clean_phone(value):
    digits = sum(ch.isdigit() for ch in value)
    if digits < MIN_PHONE_DIGITS or len(value) > 40 or not PHONE_CHARACTERS.match(value):
        return None
    return value


CHECKS = {
    "website": (_clean_url, _("adresse invalide")),
    "source_url": (_clean_url, _("adresse invalide")),
    "email": (_clean_email, _("courriel invalide")),
    "phone": (_clean_phone, _("numéro illisible")),
}


def clean_fields(fields):
    """(fields, warnings): text trimmed, an invalid address, e-mail or phone dropped."""
    cleaned, warnings = {}, []
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name in CHECKS and value:
            check, why = CHECKS[name]
            fixed = check(value)
            if fixed is None:
                warnings.append(_ignored(name, value, why))
                value = ""
            else:
                value = fixed
        cleaned[name] = value
    return cleaned, warnings


class EntryWriter:
    def __init__(self, importer):
        from communes.models import Collectivite

        self.importer = importer
        self.source = importer.source
        self.categories = {}
        self.seen = set()
        self.now = timezone.now()
        for category in Category.objects.all():
            self.categories[category.slug] = category
            for code in category.service_public_types + category.bpe_codes:
                self.categories.setdefault(code, category)
        self.communes = {
            code: (pk, lat, lon)
            for code, pk, lat, lon in Collectivite.objects.exclude(kind="pays").values_list(
                "code", "pk", "latitude", "longitude"
            )
        }

    def category_for(self, code):
        category = self.categories.get(code) or self.categories.get(FALLBACK_CATEGORY)
        if category is None:
            category, _created = Category.objects.get_or_create(
                slug=FALLBACK_CATEGORY, defaults={"name": "Autres services", "sort_order": 999}
            )
            self.categories[FALLBACK_CATEGORY] = category
        return category

    def write(self, items, report, progress=None):
        existing = {
            external_id: (pk, digest, status)
            for pk, external_id, digest, status in ServiceEntry.objects.filter(
                source=self.source
            ).values_list("pk", "external_id", "import_hash", "status")
        }
        for item in records(items, report, progress):
            if item.external_id in self.seen:
                report.reject(Rejected(item.external_id, _("présent deux fois dans le fichier")))
                continue
            self.seen.add(item.external_id)
            fields, warnings = clean_fields(item.fields)
            warnings = item.warnings + warnings
            digest = fingerprint(
                [item.name, item.category, fields, hours_rows(item.hours), item.commune_code]
            )
            known = existing.get(item.external_id)
            if known and known[1] == digest and known[2] == ServiceEntry.Status.ACTIVE:
                report.add("unchanged")
            else:
                try:
                    with transaction.atomic():
                        outcome = self._save(item, fields, warnings, digest, known and known[0])
                except ValidationError as exc:
                    report.reject(Rejected(item.external_id, validation_message(exc)))
                    continue
                except (IntegrityError, DataError, ValueError, TypeError) as exc:
                    report.reject(Rejected(item.external_id, str(exc)))
                    continue
                report.add(outcome)
            for warning in warnings:
                report.warn(item.external_id, warning)

    def archive_plan(self, covers):
        active = ServiceEntry.objects.filter(
            source=self.source, status=ServiceEntry.Status.ACTIVE
        ).filter(covers)
        gone = active.exclude(external_id__in=self.seen)

        def apply():
            archived = gone.update(status=ServiceEntry.Status.ARCHIVED, updated_at=self.now)
            if archived:
                bump_content_version()  # update() sends no signal
            return archived

        return ArchivePlan(total=active.count(), gone=gone.count(), apply=apply)

    def _save(self, item: EntryRecord, fields, warnings, digest, pk):
        entry = ServiceEntry.objects.filter(pk=pk).first() if pk else None
        created = entry is None
        if created:
            entry = ServiceEntry(source=self.source, external_id=item.external_id)
        commune_id, centre_lat, centre_lon = self.communes.get(item.commune_code, (None,) * 3)
        values = {
            "name": item.name.strip()[:200],
            "category": self.category_for(item.category),
            "commune_id": commune_id,
            **fields,
        }
        if values.get("latitude") is None and centre_lat is not None:
            # No position in the source: the commune's centre, said to be approximate.
            values.update(latitude=centre_lat, longitude=centre_lon, position_approximate=True)
        for name, value in values.items():
            field_name = name.removesuffix("_id")
            if not created and entry.is_locked(field_name):
                continue
            setattr(entry, name, value)
        self._full_clean(entry, warnings)
        entry.import_hash = digest
        entry.status = ServiceEntry.Status.ACTIVE
        entry.last_imported_at = self.now
        entry.save()
        if created or not entry.is_locked("hours"):
            entry.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(entry=entry, sort_order=i, **row)
                for i, row in enumerate(hours_rows(item.hours))
            )
        return "created" if created else "updated"

    def _full_clean(self, entry, warnings):
        """Django's own checks; a field they refuse is emptied and said, if it may be."""
        exclude = ["category", "commune", "locked_fields", "extra"]
        try:
            entry.full_clean(exclude=exclude)
        except ValidationError as exc:
            errors = getattr(exc, "message_dict", None)
            if not errors or NOT_DROPPABLE & errors.keys() or "__all__" in errors:
                raise
            for name, messages in errors.items():
                model_field = ServiceEntry._meta.get_field(name)
                warnings.append(_ignored(name, getattr(entry, name), " ".join(messages)))
                setattr(entry, name, model_field.get_default())
            entry.full_clean(exclude=exclude)
