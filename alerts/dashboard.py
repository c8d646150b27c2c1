"""The admin home's count of alert subscribers: per collectivité in the user's reach. Counts
only, never an address, for the Pays team too (docs/alerts.md)."""

from django.db.models import Count
from wagtail.admin.ui.components import Component

from alerts.models import Subscription
from communes.models import Collectivite
from communes.tenancy import tenancy_for


class SubscribersPanel(Component):
    name = "bastide_alert_subscribers"
    order = 60
    template_name = "alerts/admin/subscribers_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        tenancy = tenancy_for(self.request)
        confirmed = Subscription.objects.filter(confirmed_at__isnull=False)
        if not tenancy.is_pays_staff:
            confirmed = confirmed.filter(collectivite_id__in=tenancy.collectivite_ids)
        counts = dict(
            confirmed.values("collectivite_id")
            .annotate(n=Count("pk"))
            .values_list("collectivite_id", "n")
        )
        if tenancy.is_pays_staff:
            shown = Collectivite.objects.filter(pk__in=counts)
        else:
            shown = Collectivite.objects.filter(pk__in=tenancy.collectivite_ids)
        rows = [(c.name, counts.get(c.pk, 0)) for c in shown.order_by("name")]
        return {
            "rows": rows,
            "total": sum(counts.values()),
            "pays": tenancy.is_pays_staff,
        }


def show(request):
    tenancy = tenancy_for(request)
    return tenancy.is_pays_staff or bool(tenancy.collectivite_ids)
