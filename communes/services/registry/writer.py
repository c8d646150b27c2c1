"""Creating or updating collectivités by code, writing only what differs."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communes.models import Collectivite
from communes.services.registry.report import CREATED, UNCHANGED, UPDATED, Change


class RegistryWriter:
    """Creates or updates collectivités by code, one savepoint per row.

    Existing rows and taken slugs are read once, so a whole file costs a few queries per
    row; uniqueness is then guaranteed by the database constraints, whose violation is
    reported for that row like any other error. Values are compared with what is stored
    before anything is saved, so a second run of the same file saves nothing; each
    difference is added to the report by name, which is what a dry run shows.
    """

    def __init__(self, report=None):
        self.report = report
        self.by_code = {c.code: c for c in Collectivite.objects.all()}
        self.by_pk = {c.pk: c for c in self.by_code.values()}
        self.slugs = {c.slug for c in self.by_code.values()}

    def unique_slug(self, name, code):
        base = slugify(name)[:63].strip("-") or code.lower()
        if base in self.slugs:
            base = f"{base[: 63 - len(code) - 1]}-{code.lower()}"
        return base

    def _label(self, fieldname, value):
        if fieldname in ("epci_id", "merged_into_id") and value is not None:
            other = self.by_pk.get(value)
            return f"{other.code} {other.name}" if other else value
        return value

    def upsert(self, values: dict) -> str:
        """Returns created/updated/unchanged; raises ValidationError with a readable message."""
        code = values["code"]
        instance = self.by_code.get(code)
        created = instance is None
        if created:
            instance = Collectivite(code=code)
        if not values.get("slug"):
            values["slug"] = instance.slug or self.unique_slug(values["name"], code)
        old_name = instance.name
        changes = []
        for name, value in values.items():
            old = getattr(instance, name)
            if old != value:
                setattr(instance, name, value)
                changes.append(
                    Change(
                        code,
                        old_name,
                        name.removesuffix("_id"),
                        self._label(name, old),
                        self._label(name, value),
                    )
                )
        if not changes:
            return UNCHANGED
        instance.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError as exc:
            if created:
                instance.pk = None
            raise ValidationError(
                _("le code « %(code)s » ou l'identifiant « %(slug)s » est déjà utilisé")
                % {"code": code, "slug": instance.slug}
            ) from exc
        self.by_code[code] = instance
        self.by_pk[instance.pk] = instance
        self.slugs.add(instance.slug)
        if self.report is not None:
            if created:
                self.report.changes.append(Change(code, instance.name, CREATED))
            else:
                self.report.changes.extend(
                    c for c in changes if c.what not in ("slug", "merged_at")
                )
        return CREATED if created else UPDATED
