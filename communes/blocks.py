"""StreamField blocks of commune sites."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock


class LeanStreamField(StreamField):
    """A StreamField whose migrations do not repeat the whole block definition.

    Block definitions change often; the database column does not. Dropping them from
    deconstruct() keeps migrations small and reviewable.
    """

    def deconstruct(self):
        name, path, _args, kwargs = super().deconstruct()
        return name, path, [[]], kwargs


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "communes/blocks/heading.html"
        label = _("Intertitre")
        description = _("Un titre de section (niveau 2).")
        preview_value = "Horaires d'ouverture"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "document-link", "ol", "ul"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "communes/blocks/paragraph.html"
        label = _("Paragraphe")
        description = _("Du texte mis en forme.")
        preview_value = "<p>La mairie vous accueille du lundi au vendredi.</p>"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("légende"), required=False)

    class Meta:
        icon = "image"
        template = "communes/blocks/image.html"
        label = _("Image")
        description = _("Une photo avec sa légende.")


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()


def body_field(**kwargs):
    return LeanStreamField(BodyBlock(), blank=True, verbose_name=_("contenu"), **kwargs)
