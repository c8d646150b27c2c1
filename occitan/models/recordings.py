"""Recordings: the original as uploaded, kept, and a small copy made for the web."""

import zlib
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class Recording(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("copie web en préparation")
        READY = "ready", _("prête")
        FAILED = "failed", _("échec de la copie web")

    title = models.CharField(_("titre"), max_length=200)
    original = models.FileField(_("fichier original"), upload_to="occitan/originals/")
    web_file = models.FileField(
        _("copie web"), upload_to="occitan/web/", blank=True, editable=False
    )
    mime_type = models.CharField(_("type"), max_length=40, editable=False, blank=True)
    web_mime_type = models.CharField(max_length=40, editable=False, blank=True)
    duration = models.FloatField(_("durée (s)"), null=True, editable=False)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0, editable=False)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.PENDING, editable=False
    )
    error = models.CharField(_("erreur"), max_length=400, blank=True, editable=False)
    speaker = models.ForeignKey(
        "occitan.Speaker",
        verbose_name=_("locuteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recordings",
    )
    place = models.CharField(_("lieu d'enregistrement"), max_length=120, blank=True)
    recorded_on = models.DateField(_("enregistré le"), null=True, blank=True)
    transcript = models.TextField(
        _("transcription"),
        blank=True,
        help_text=_("Ce qui est dit, mot pour mot. Obligatoire pour publier."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("original"),
        FieldRowPanel([FieldPanel("speaker"), FieldPanel("place"), FieldPanel("recorded_on")]),
        FieldPanel("transcript"),
    ]

    class Meta:
        verbose_name = _("enregistrement")
        verbose_name_plural = _("enregistrements")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """A new original is checked (even without a form), its type, duration and size
        stored, the web copy dropped and made again in the background once committed."""
        new_original = self.has_new_original()
        if new_original:
            info = self.audio_info()
            self.mime_type, self.duration, self.size = info.mime_type, info.duration, info.size
            stem = PurePosixPath(self.original.name or "enregistrement").stem[:80]
            self.original.name = f"{stem or 'enregistrement'}{info.extension}"
            old_web = self.web_file.name if self.web_file else ""
            self.web_file, self.web_mime_type = "", ""
            self.status, self.error = self.Status.PENDING, ""
        super().save(*args, **kwargs)
        if new_original:
            self.after_new_original(old_web)

    def get_absolute_url(self):
        """Where the player reads it: the web copy when ready, else the original. The
        version changes with the files, so that browsers may keep what they read."""
        return f"{reverse('occitan-audio', args=[self.pk])}?v={self.version()}"

    def clean(self):
        """A new original is checked by its bytes (occitan.services.audio): any form that
        validates the model shows the French message on the field."""
        super().clean()
        if self.has_new_original():
            try:
                self.audio_info()
            except ValidationError as error:
                raise ValidationError({"original": error.messages}) from None

    def has_new_original(self):
        return bool(self.original) and not self.original._committed

    def audio_info(self):
        """The new original's AudioInfo, read once (clean, then save)."""
        from occitan.services.audio import validate_audio

        cached = getattr(self, "_audio_info", None)
        if cached is None or cached[0] is not self.original.file:
            cached = (self.original.file, validate_audio(self.original))
            self._audio_info = cached
        return cached[1]

    def after_new_original(self, old_web):
        from occitan.tasks import make_web_copy

        pk, name, storage = self.pk, self.original.name, self.web_file.storage
        if old_web:
            transaction.on_commit(lambda: storage.delete(old_web))
        transaction.on_commit(lambda: make_web_copy.enqueue(pk, name))

    def version(self):
        """A short tag of the files served: it changes when the original or the copy does."""
        names = f"{self.original.name}|{self.web_file.name}|{self.status}"
        return format(zlib.crc32(names.encode()), "08x")
