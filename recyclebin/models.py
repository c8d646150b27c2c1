from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import Collectivite
from serving.pages import CachedPage


class RecycleBinPage(CachedPage):
    """The one page, outside every site, below which deleted pages wait to be restored or
    purged. Never live, never created by hand, hidden from the explorer."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []
    is_creatable = False

    class Meta:
        verbose_name = _("corbeille")


class RecycleBinEntry(models.Model):
    """A page (with its subpages) an editor deleted, and where it came from."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="recycle_bin_entry"
    )
    # Whose it was: the tenancy of the bin. Null for pages outside every collectivité's site.
    collectivite = models.ForeignKey(
        Collectivite, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("titre"), max_length=255)
    original_location = models.CharField(_("emplacement d'origine"), max_length=1000)
    original_parent = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The sibling it followed, to put it back in its place among its siblings.
    previous_sibling = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {page id: live revision id or null} of the pages of the subtree that were live.
    live_pages = models.JSONField(default=dict, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), default=1)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("supprimée par"),
    )
    deleted_at = models.DateTimeField(_("supprimée le"), db_index=True)

    class Meta:
        verbose_name = _("page supprimée")
        verbose_name_plural = _("pages supprimées")
        ordering = ["-deleted_at", "-pk"]

    def __str__(self):
        return self.title
