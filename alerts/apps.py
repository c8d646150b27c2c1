from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Alerts to residents: a collectivité's urgent banners and new council meetings, by
    email (double opt-in, one click to leave) and as an RSS feed, on every commune site."""

    name = "alerts"
    verbose_name = _("Alertes aux habitants")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from alerts import panels, signals
        from communes import reach, sections

        signals.connect()
        sections.add_panel("home", "alerts/components/home_panel.html", panels.home_panel)
        sections.add_panel(
            "personal-data", "alerts/components/personal_data.html", panels.personal_data
        )
        # Residents' addresses: out of every staff member's reach, wherever an id turns up.
        # The admin shows counts only (alerts.wagtail_hooks).
        for model in (self.get_model("Subscription"), self.get_model("SentAlert")):
            reach.register_reach(model)(lambda tenancy, obj: False)
            reach.register_narrowing(model)(lambda tenancy, queryset: queryset.none())
