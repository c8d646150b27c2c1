from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Thèmes")

    def ready(self):
        from themes.signals import connect

        connect()
