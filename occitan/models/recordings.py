"""Recordings: the original as uploaded, kept, and a small copy made for the web."""

from django.db import models
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

    def get_absolute_url(self):
        """Where the player reads it: the web copy when ready, else the original."""
        return reverse("occitan-audio", args=[self.pk])
