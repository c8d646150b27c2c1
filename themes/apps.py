from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Thèmes")

    def ready(self):
        from serving.signals import bump_on_change
        from themes.models import ThemeSettings

        # A site's appearance is part of every page served from memory.
        bump_on_change(ThemeSettings)
        try:
            from serving.baking import register_extra_paths
        except ImportError:  # TODO(lead): drop this guard once serving.baking is merged
            pass
        else:
            from themes.stylesheet import stylesheet_path

            # Baked beside the site's pages, so that nginx serves it with them.
            register_extra_paths(lambda site: [stylesheet_path(site)])
