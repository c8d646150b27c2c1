"""Images and documents of every site: with alternative text and credits that visitors need."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument
from wagtail.documents.models import Document as WagtailDocument
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.images.models import Image as WagtailImage


class SiteImage(AbstractImage):
    """An image whose alternative text is either written or explicitly waived."""

    # Not `decorative`: Wagtail's AbstractImage.__init__ sets that attribute to False on every
    # instance (the contextual flag of its ImageBlock), which would hide the stored value.
    is_decorative = models.BooleanField(
        _("image décorative"),
        default=False,
        help_text=_(
            "Cochez seulement si l'image n'apporte aucune information : elle sera ignorée "
            "par les lecteurs d'écran."
        ),
    )
    credit = models.CharField(_("auteur / crédit"), max_length=255, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    # Provenance: own uploads, or a file of Wikimedia Commons kept in step by the photos
    # section (photos/). An own photo is never replaced by a sync unless a Pays user asks.
    credit_url = models.URLField(_("lien vers l'auteur"), max_length=500, blank=True)
    licence_url = models.URLField(_("lien vers la licence"), max_length=500, blank=True)
    attribution_required = models.BooleanField(_("attribution requise"), default=True)
    origin = models.CharField(
        _("provenance"),
        max_length=12,
        choices=[("own", _("photo de la collectivité")), ("commons", _("Wikimedia Commons"))],
        default="own",
    )
    commons_file = models.CharField(_("fichier Commons"), max_length=255, blank=True, db_index=True)
    commons_description = models.TextField(_("description sur Commons"), blank=True)
    commons_sha1 = models.CharField(_("empreinte SHA-1 Commons"), max_length=40, blank=True)
    commons_deleted = models.BooleanField(
        _("supprimée de Commons"),
        default=False,
        help_text=_("Le fichier n'existe plus sur Commons : la copie locale est gardée."),
    )
    commons_synced_at = models.DateTimeField(_("synchronisée le"), null=True, blank=True)
    demo_stand_in = models.BooleanField(
        _("image de démonstration"),
        default=False,
        help_text=_("Image de substitution de la démonstration, pas la photo réelle."),
    )

    admin_form_fields = (
        *WagtailImage.admin_form_fields[:3],
        "is_decorative",
        "credit",
        "licence",
        "source_url",
        "credit_url",
        "licence_url",
        *WagtailImage.admin_form_fields[3:],
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def clean(self):
        super().clean()
        if not self.is_decorative and not (self.description or "").strip():
            raise ValidationError(
                {
                    "description": _(
                        "Décrivez l'image pour les personnes qui ne la voient pas (texte "
                        "alternatif), ou cochez « image décorative »."
                    )
                }
            )

    @property
    def default_alt_text(self):
        return "" if self.is_decorative else (self.description or "")

    @property
    def from_commons(self):
        return self.origin == "commons"

    def credit_parts(self):
        """What the credit under the image says, from its own fields only: None when there is
        nothing to credit, else a dict of `author` and `licence` ((text, url) pairs or None),
        `source` (the file's page on Commons, or the source of an own photo), `commons`,
        `no_attribution` (a licence that asks for none: public domain, CC0) and `demo` (a
        stand-in of the demonstration, not the real photo)."""
        commons = self.from_commons
        if not (self.credit or self.licence or commons or self.demo_stand_in):
            return None
        licence = self.licence.strip()
        if not licence and not self.attribution_required:
            licence = str(_("domaine public"))
        return {
            "author": (self.credit.strip(), self.credit_url) if self.credit.strip() else None,
            "licence": (licence, self.licence_url) if licence else None,
            "source": self.source_url,
            "commons": commons,
            "no_attribution": not self.attribution_required,
            "demo": self.demo_stand_in,
        }

    def credit_text(self):
        """The credit as one line of plain text (schema.org's creditText, exports)."""
        parts = self.credit_parts()
        if parts is None:
            return ""
        pieces = [parts["author"][0]] if parts["author"] else []
        if parts["licence"]:
            pieces.append(parts["licence"][0])
        if parts["commons"]:
            pieces.append(str(_("via Wikimedia Commons")))
        if parts["demo"]:
            pieces.append(str(_("image de démonstration")))
        return ", ".join(pieces)


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class SiteDocument(AbstractDocument):
    """A document with the text extracted from it, so that a visitor finds it by a word inside."""

    text = models.TextField(_("texte extrait"), blank=True, editable=False)

    admin_form_fields = WagtailDocument.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def format_label(self):
        return (self.file_extension or "").upper()
