"""The lexicon's own admin views: Apertium's suggestion, and approval that checks the rule
of publication (a transcript for the recording)."""

from django.contrib.admin.utils import quote
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.snippets.views.snippets import WorkflowActionView

from communes.admin_guard import tenancy_checked_by_view
from occitan.services import review
from occitan.services.suggest import SuggestionError, suggest

EDITOR_PERMISSIONS = ("occitan.change_entry", "occitan.change_expression")


@tenancy_checked_by_view(
    "names no object: asks Apertium about the text it is given, for "
    "those who may change the Occitan lexicon"
)
@require_http_methods(["GET", "POST"])
def suggest_view(request):
    """JSON: the Occitan forms of ?q= (or POST q=), one per Apertium mode."""
    if not any(request.user.has_perm(p) for p in EDITOR_PERMISSIONS):
        return JsonResponse(
            {"error": _("Réservé aux personnes qui rédigent le lexique occitan.")}, status=403
        )
    query = request.POST.get("q") if request.method == "POST" else request.GET.get("q")
    try:
        return JsonResponse(suggest(query))
    except SuggestionError as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)


class LexiconWorkflowActionView(WorkflowActionView):
    """Approving publishes: refused while the revision under review has a recording
    without transcript (the edit form checks the same when it approves)."""

    def post(self, request, *args, **kwargs):
        if self.action_name == "approve":
            problem = review.publish_problem(self.task_state.revision.as_object())
            if problem:
                messages.error(request, problem)
                edit_url = reverse(self.redirect_url_name, args=(quote(self.object.pk),))
                if request.headers.get("x-requested-with") == "XMLHttpRequest":
                    return self.render_modal_json(
                        request, {"step": "success", "redirect": edit_url}
                    )
                return redirect(edit_url)
        return super().post(request, *args, **kwargs)
