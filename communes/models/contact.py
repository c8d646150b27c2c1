"""Contact: a form that emails the mairie and keeps the submissions, guarded against spam."""

from django import forms
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.fields import RichTextField

from communes.panels import InlinePanel
from communes.public_forms import CONSENT, HONEYPOT, honeypot_field
from serving.pages import CachedPage
from serving.rate_limit import RateLimit

RATE_LIMIT = 5  # submissions
RATE_WINDOW = 600  # seconds


class ContactFormField(AbstractFormField):
    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(AbstractEmailForm, CachedPage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("message de remerciement"), blank=True, features=["bold", "italic", "link"]
    )

    template = "communes/pages/contact_page.html"
    landing_page_template = "communes/pages/contact_page_landing.html"
    parent_page_types = ["communes.CollectiviteHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = AbstractEmailForm.content_panels + [
        FieldPanel("intro"),
        InlinePanel(
            "form_fields",
            label=_("champ du formulaire"),
            add_label=_("Ajouter un champ au formulaire"),
        ),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Courriel envoyé à la mairie"),
        ),
    ]

    class Meta:
        verbose_name = _("contact")

    def privacy_page(self):
        """The site's "Données personnelles" page, which the consent box links to."""
        from wagtail.models import Page

        from serving.cache import cached

        def build():
            home = self.get_parent()
            return Page.objects.child_of(home).live().filter(slug="donnees-personnelles").first()

        return cached("privacy-page", [self.pk], build, shared=False)

    def get_form_class(self):
        form_class = super().get_form_class()
        attrs = {
            HONEYPOT: honeypot_field(),
            CONSENT: forms.BooleanField(
                label=_(
                    "J'accepte que la mairie utilise ces informations pour répondre à ma demande."
                ),
                required=True,
                error_messages={"required": _("Cochez cette case pour envoyer votre message.")},
            ),
        }
        return type("ContactForm", (form_class,), attrs)

    def rate_limit(self):
        return RateLimit(f"contact:{self.pk}", RATE_LIMIT, RATE_WINDOW)

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        if request.POST.get(HONEYPOT):
            # A robot filled the invisible field: thank it, keep nothing.
            return self.render_landing_page(request, None, *args, **kwargs)
        if self.rate_limit().exceeded(request):
            form.add_error(
                None, _("Trop de messages envoyés d'ici. Réessayez dans quelques minutes.")
            )
            context = self.get_context(request)
            context["form"] = form
            return TemplateResponse(request, self.get_template(request), context, status=429)
        if form.is_valid():
            self.rate_limit().hit(request)
            submission = self.process_form_submission(form)
            return self.render_landing_page(request, submission, *args, **kwargs)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context, status=400)

    def process_form_submission(self, form):
        form.cleaned_data.pop(HONEYPOT, None)
        form.cleaned_data.pop(CONSENT, None)
        return super().process_form_submission(form)
