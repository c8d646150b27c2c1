from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Thèmes")

    def ready(self):
        from serving.signals import bump_on_change, site_of_instance
        from themes.models import ThemeSettings

        # A site's appearance is part of every page served from memory.
        bump_on_change(ThemeSettings, sites=site_of_instance)
        from serving.baking import register_extra_paths, register_preload
        from themes.stylesheet import stylesheet_path
        from themes.templatetags.themes_tags import preload_breadcrumbs

        # Baked beside the site's pages, so that nginx serves it with them.
        register_extra_paths(lambda site: [stylesheet_path(site)])
        register_preload(preload_breadcrumbs)
