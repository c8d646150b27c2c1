"""A POST to the « appel à photos » page: robots thanked and forgotten, a rate limit per
address, then the photo stored for moderation in one transaction."""

from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from communes.models.contact import RATE_LIMIT, RATE_WINDOW
from communes.public_forms import HONEYPOT
from serving.rate_limit import RateLimit


def _render(page, request, form, status):
    context = page.get_context(request, form=form)
    return TemplateResponse(request, page.get_template(request), context, status=status)


def _landing(page, request, submission):
    context = page.get_context(request)
    context["submission"] = submission
    return TemplateResponse(request, page.landing_page_template, context)


def serve_post(page, request):
    from photos.campaign.forms import PhotoSubmissionForm

    form = PhotoSubmissionForm(request.POST, request.FILES)
    if request.POST.get(HONEYPOT):
        # A robot filled the invisible field: thank it, keep nothing.
        return _landing(page, request, None)
    limit = RateLimit(f"photo-call:{page.pk}", RATE_LIMIT, RATE_WINDOW)
    if limit.exceeded(request):
        form.add_error(None, _("Trop de photos envoyées d'ici. Réessayez dans quelques minutes."))
        return _render(page, request, form, status=429)
    if not form.is_valid():
        return _render(page, request, form, status=400)
    limit.hit(request)
    with transaction.atomic():
        submission = form.save()
    return _landing(page, request, submission)
