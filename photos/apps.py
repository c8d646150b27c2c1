from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    """Photos of every commune from Wikidata and Wikimedia Commons, credited and re-synced,
    and the « appel à photos » for the communes that have none."""

    name = "photos"
    verbose_name = _("Photos des communes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        self._report()
        self._photo_call()

    def _report(self):
        from communes import admin_guard

        admin_guard.declare_pays_staff_only(
            {
                "photos_missing": "the communes of the whole Pays without a photo",
                "photos_missing_results": "the communes of the whole Pays without a photo",
                "photos_sync_start": "the sync of every commune's photo, the Pays team's",
            }
        )

    def _photo_call(self):
        from communes import admin_guard, reach, sections
        from photos.campaign import panels

        sections.allow_below("photos.PhotoCallPage", ["communes.PortalHomePage"])
        sections.add_panel(
            "personal-data", "photos/components/personal_data.html", panels.personal_data
        )
        # The residents' photos and addresses are the Pays team's alone, wherever an id or a
        # log entry of them turns up (reports, history, choosers).
        model = self.get_model("PhotoSubmission")
        reach.register_reach(model)(lambda tenancy, obj: False)
        reach.register_narrowing(model)(lambda tenancy, queryset: queryset.none())
        admin_guard.declare_pays_staff_only(
            {
                "photos-submissions:": "residents' photos and addresses, moderated by the Pays",
                "photos_submission_image": "a resident's photo held for moderation",
                "photos_commons_batch": "the accepted residents' photos, for Commons",
            }
        )
