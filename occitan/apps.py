from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccitanConfig(AppConfig):
    """The Occitan section: a lexicon of everyday words and expressions of the Bergeracois,
    with recordings, on the portal (/occitan/) and reachable from every commune site."""

    name = "occitan"
    verbose_name = _("Occitan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communes import reach, sections
        from occitan import panels, signals
        from serving.signals import bump_on_change, site_of_instance

        # What the portal's pages and the commune home pages show of the section changes
        # with the lexicon (every site) and with each site's choice (that site).
        bump_on_change(self.get_model("Entry"), self.get_model("Expression"))
        bump_on_change(self.get_model("OccitanSiteSettings"), sites=site_of_instance)
        signals.connect(self.get_model("Entry"), self.get_model("Expression"))
        sections.add_panel("home", "occitan/components/word_of_day.html", panels.word_of_day_panel)

        reach.declare_shared(
            {
                "occitan.Theme": "the lexicon's themes, one list for the Pays",
                "occitan.Speaker": "the speakers heard in the recordings, one list for the Pays",
                "occitan.Recording": "the lexicon's recordings, public once their entry is",
                "occitan.Entry": "the Pays' Occitan lexicon, edited by the Pays team and the "
                "Occitan partner group",
                "occitan.Expression": "the Pays' Occitan expressions, edited like the lexicon",
            }
        )
        self._public_pages()

    def _public_pages(self):
        from communes import sections
        from occitan.services.pages import portal_link
        from serving.signals import bump_on_change

        sections.allow_below("occitan.OccitanIndexPage", ["communes.PortalHomePage"])
        # The section's pages are cached under the content version: any change to the
        # lexicon renews it (serving.cache).
        bump_on_change(
            *(
                self.get_model(name)
                for name in ("Entry", "Expression", "Theme", "Speaker", "Recording")
            )
        )
        # « Occitan » in every site's footer, to the portal's /occitan/ once it is published.
        sections.add_link("footer", _("Occitan"), portal_link)
