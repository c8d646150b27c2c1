"""The « Candidater » page of the portal: the form, spam guards as on the contact form."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from communes.models.contact import RATE_LIMIT, RATE_WINDOW
from communes.public_forms import HONEYPOT
from serving.pages import CachedPage
from serving.rate_limit import RateLimit

# Where the page may be created; the guide's index joins them when the guide is installed
# (newcomers.apps).
PARENT_PAGE_TYPES = ["communes.PortalHomePage"]
GUIDE_INDEX = "newcomers.GuideIndexPage"


class ApplicationPage(CachedPage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("message de remerciement"), blank=True, features=["bold", "italic", "link"]
    )

    template = "newcomers/pages/application_page.html"
    landing_page_template = "newcomers/pages/application_page_landing.html"
    parent_page_types = PARENT_PAGE_TYPES
    subpage_types = []
    max_count_per_parent = 1  # not max_count: its translations are pages of the type too

    content_panels = CachedPage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("thank_you_text"),
    ]

    class Meta:
        verbose_name = _("formulaire de candidature")

    @classmethod
    def link_for_offer(cls, offer, request=None):
        """The form's URL with `offer` prefilled (the offers' « Candidater » button), in the
        offer's language when the form is translated, else None when there is no form."""
        from serving.cache import cached

        def build():
            pages = cls.objects.live().order_by("pk")
            return pages.filter(locale_id=offer.locale_id).first() or pages.first()

        page = cached("newcomers-application-page", [offer.locale_id], build, shared=False)
        if page is None:
            return None
        from newcomers.applications.forms import OFFER_PARAMETER

        return f"{page.get_url(request)}?{OFFER_PARAMETER}={offer.pk}"

    def privacy_page(self):
        """The portal's "Données personnelles" page, which the consent box links to."""
        from wagtail.models import Page

        from serving.cache import cached

        def build():
            site_root = self.get_site().root_page if self.get_site() else None
            if site_root is None:
                return None
            return (
                Page.objects.child_of(site_root).live().filter(slug="donnees-personnelles").first()
            )

        return cached("privacy-page", [self.pk], build, shared=False)

    def get_form(self, request):
        from newcomers.applications.forms import OFFER_PARAMETER, ApplicationForm

        if request.method == "POST":
            return ApplicationForm(request.POST)
        return ApplicationForm(initial={"offer": request.GET.get(OFFER_PARAMETER, "")})

    def get_context(self, request, *args, **kwargs):
        from newcomers.applications.forms import OFFER_PARAMETER, live_offer

        context = super().get_context(request, *args, **kwargs)
        form = kwargs.get("form") or self.get_form(request)
        context["form"] = form
        offer_id = form["offer"].value() if form.is_bound else request.GET.get(OFFER_PARAMETER)
        context["offer"] = live_offer(offer_id) if offer_id else None
        return context

    def rate_limit(self):
        return RateLimit(f"application:{self.pk}", RATE_LIMIT, RATE_WINDOW)

    def _render(self, request, form, status):
        context = self.get_context(request, form=form)
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def render_landing_page(self, request, application):
        context = self.get_context(request)
        context["application"] = application
        return TemplateResponse(request, self.landing_page_template, context)

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        from newcomers.applications.routing import submit

        form = self.get_form(request)
        if request.POST.get(HONEYPOT):
            # A robot filled the invisible field: thank it, keep nothing, send nothing.
            return self.render_landing_page(request, None)
        if self.rate_limit().exceeded(request):
            form.add_error(
                None, _("Trop de candidatures envoyées d'ici. Réessayez dans quelques minutes.")
            )
            return self._render(request, form, status=429)
        if not form.is_valid():
            return self._render(request, form, status=400)
        self.rate_limit().hit(request)
        application = submit(form, page=self)
        return self.render_landing_page(request, application)
