"""The guide's pages: « Installez-vous » on the portal, its topics and its testimonials."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from communes.blocks import body_field
from communes.panels import InlinePanel
from serving.pages import CachedPage

INTRO_FEATURES = ["bold", "italic", "link"]


class GuideIndexPage(CachedPage):
    """/installez-vous/ on the portal: the guide's topics, testimonials, offers and the
    Pays' communes."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = body_field()

    template = "newcomers/pages/guide_index_page.html"
    parent_page_types = ["communes.PortalHomePage"]
    subpage_types = [
        "newcomers.GuideTopicPage",
        "newcomers.TestimonialPage",
        "newcomers.OfferIndexPage",
    ]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("guide « Installez-vous »")

    def get_context(self, request, *args, **kwargs):
        from newcomers.services.guide import guide_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(guide_overview(self, request))
        return context


class GuideTopicPage(CachedPage):
    """One topic of the guide, in « Vivre ici » or « Entreprendre »."""

    class Section(models.TextChoices):
        LIVE = "vivre", _("Vivre ici")
        BUSINESS = "entreprendre", _("Entreprendre")

    section = models.CharField(
        _("rubrique"), max_length=16, choices=Section.choices, default=Section.LIVE
    )
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = body_field()

    template = "newcomers/pages/guide_topic_page.html"
    parent_page_types = ["newcomers.GuideIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("section"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("thème du guide")

    def get_context(self, request, *args, **kwargs):
        from newcomers.services.guide import guide_links

        context = super().get_context(request, *args, **kwargs)
        context.update(guide_links(self, request))
        return context


class TestimonialPage(CachedPage):
    """A newcomer tells their story: photos, and a video either uploaded (with captions and
    a transcript) or hosted elsewhere and only linked, so that nothing is requested from the
    host before the visitor clicks."""

    person = models.CharField(_("nom ou prénom"), max_length=120)
    origin = models.CharField(
        _("venu(e) de"), max_length=120, blank=True, help_text=_("Par exemple : Manchester")
    )
    commune = models.ForeignKey(
        "communes.Collectivite",
        verbose_name=_("installé(e) à"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "commune"},
    )
    quote = models.CharField(_("citation"), max_length=300, blank=True)
    body = body_field()
    video = models.ForeignKey(
        "communes.SiteDocument",
        verbose_name=_("vidéo (fichier MP4 ou WebM)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    captions = models.ForeignKey(
        "communes.SiteDocument",
        verbose_name=_("sous-titres (fichier WebVTT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField(
        _("vidéo hébergée ailleurs (adresse)"),
        blank=True,
        help_text=_(
            "Montrée comme un lien avec une image : rien n'est chargé depuis l'hébergeur "
            "avant le clic du visiteur."
        ),
    )
    video_poster = models.ForeignKey(
        "communes.SiteImage",
        verbose_name=_("image de la vidéo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transcript = RichTextField(_("transcription de la vidéo"), blank=True, features=INTRO_FEATURES)

    template = "newcomers/pages/testimonial_page.html"
    parent_page_types = ["newcomers.GuideIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("person"), FieldPanel("origin")]),
        FieldPanel("commune"),
        FieldPanel("quote"),
        FieldPanel("body"),
        InlinePanel("photos", label=_("photo"), add_label=_("Ajouter une photo")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("video"), FieldPanel("captions")]),
                FieldRowPanel([FieldPanel("video_url"), FieldPanel("video_poster")]),
                FieldPanel("transcript"),
            ],
            heading=_("Vidéo"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("quote"),
        index.SearchField("body"),
        index.SearchField("transcript"),
    ]

    class Meta:
        verbose_name = _("témoignage")

    def get_context(self, request, *args, **kwargs):
        from newcomers.services.guide import guide_links

        context = super().get_context(request, *args, **kwargs)
        context.update(guide_links(self, request))
        return context

    @property
    def video_host(self):
        from urllib.parse import urlsplit

        return (urlsplit(self.video_url).hostname or "").removeprefix("www.")


class TestimonialPhoto(Orderable):
    page = ParentalKey(TestimonialPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "communes.SiteImage", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("légende"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
