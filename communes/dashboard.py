"""The admin home of a secretary: their commune, not the whole Pays."""

from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, WorkflowState

from communes.models import Banner
from communes.tenancy import tenancy_for


class CollectivitePanel(Component):
    name = "bastide_collectivite"
    order = 50
    template_name = "communes/admin/collectivite_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        tenancy = tenancy_for(self.request)
        collectivites = list(tenancy.collectivites.select_related("site", "home_page"))
        in_reach = tenancy.page_filter()
        page_ids = Page.objects.filter(in_reach).values("pk")
        awaiting = (
            WorkflowState.objects.active()
            .filter(
                base_content_type__app_label="wagtailcore",
                object_id__in=[str(pk) for pk in page_ids.values_list("pk", flat=True)],
            )
            .select_related("requested_by")
            .order_by("-created_at")[:10]
        )
        recent = Revision.page_revisions.filter(user=self.request.user).order_by("-created_at")[:50]
        seen, recently_edited = set(), []
        for revision in recent:
            if revision.object_id not in seen:
                seen.add(revision.object_id)
                recently_edited.append(revision)
            if len(recently_edited) == 5:
                break
        now = timezone.now()
        banners = Banner.objects.filter(site_id__in=tenancy.site_ids).filter(end__gt=now)
        return {
            "collectivites": collectivites,
            "awaiting": [
                (state, Page.objects.filter(pk=state.object_id).first()) for state in awaiting
            ],
            "recently_edited": [(r, r.content_object) for r in recently_edited],
            "banners": banners.order_by("start")[:10],
            "now": now,
        }
