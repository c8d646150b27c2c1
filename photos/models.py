"""What the last sync found for each commune (the state the missing-photo report reads), and
the « appel à photos »: its page and the residents' photos held for moderation."""

import uuid
from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from serving.pages import CachedPage


class CommunePhotoStatus(models.Model):
    """One row per collectivité the sync looked at, rewritten by each run."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("créée")
        UPDATED = "updated", _("mise à jour")
        UNCHANGED = "unchanged", _("inchangée")
        SKIPPED = "skipped", _("ignorée (photo de la commune)")
        MISSING = "missing", _("pas de photo sur Wikidata")
        FAILED = "failed", _("échec")

    collectivite = models.OneToOneField(
        "communes.Collectivite",
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="photo_status",
    )
    wikidata_id = models.CharField(_("identifiant Wikidata"), max_length=20, blank=True)
    photo_file = models.CharField(_("fichier P18"), max_length=255, blank=True)
    arms_file = models.CharField(_("fichier P94 (blason)"), max_length=255, blank=True)
    aerial_file = models.CharField(_("fichier P8592 (vue aérienne)"), max_length=255, blank=True)
    outcome = models.CharField(_("résultat"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("motif"), max_length=400, blank=True)
    synced_at = models.DateTimeField(_("synchronisée le"))

    class Meta:
        verbose_name = _("état de la photo d'une commune")
        verbose_name_plural = _("états des photos des communes")
        indexes = [models.Index(fields=["outcome"])]

    def __str__(self):
        return f"{self.collectivite} — {self.get_outcome_display()}"


def submission_storage():
    """Where the residents' photos wait for moderation: a storage no URL serves (settings'
    PHOTO_SUBMISSIONS_ROOT, or a STORAGES["photo_submissions"] alias); the Pays team sees
    them through a staff-only view."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, storages

    if "photo_submissions" in settings.STORAGES:
        return storages["photo_submissions"]
    root = settings.PHOTO_SUBMISSIONS_ROOT or (
        Path(settings.MEDIA_ROOT) / "documents" / "photo-submissions"
    )
    return FileSystemStorage(location=root, base_url="/private/")


def submission_path(instance, filename):
    """A random name: nothing of the sender's file name, nothing to guess."""
    extension = "png" if filename.lower().endswith(".png") else "jpg"
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PhotoCallPage(CachedPage):
    """« Appel à photos »: the Pays asks residents for photos of the communes that have none;
    each upload waits for moderation (PhotoSubmission). The form is photos.campaign."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("message de remerciement"), blank=True, features=["bold", "italic", "link"]
    )

    template = "photos/pages/photo_call_page.html"
    landing_page_template = "photos/pages/photo_call_page_landing.html"
    parent_page_types = ["communes.PortalHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = CachedPage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("thank_you_text"),
    ]

    class Meta:
        verbose_name = _("appel à photos")

    def get_context(self, request, *args, **kwargs):
        from photos.campaign.forms import PhotoSubmissionForm

        context = super().get_context(request, *args, **kwargs)
        context["form"] = kwargs.get("form") or PhotoSubmissionForm()
        return context

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        from photos.campaign.submit import serve_post

        return serve_post(self, request)


class PhotoSubmission(models.Model):
    """A resident's photo of a commune, held until the Pays team accepts or refuses it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        REFUSED = "refused", _("refusée")

    class Licence(models.TextChoices):
        CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
        CC0 = "cc0", _("CC0 (domaine public)")

    collectivite = models.ForeignKey(
        "communes.Collectivite",
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="photo_submissions",
    )
    file = models.FileField(_("fichier"), storage=submission_storage, upload_to=submission_path)
    original_name = models.CharField(_("nom du fichier envoyé"), max_length=255, blank=True)
    width = models.PositiveIntegerField(_("largeur"), default=0)
    height = models.PositiveIntegerField(_("hauteur"), default=0)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=2000)
    author_name = models.CharField(_("auteur"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices)
    taken_on = models.DateField(_("date de la prise de vue"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("photo proposée")
        verbose_name_plural = _("photos proposées")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title} ({self.collectivite})"

    def save(self, *args, **kwargs):
        # The decision's date starts the retention period (photos.campaign.retention).
        if self.status == self.Status.PENDING:
            self.decided_at = None
        elif self.decided_at is None:
            self.decided_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def commune_name(self):
        return self.collectivite.name
