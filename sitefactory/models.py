from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import Collectivite


class ProvisionedPage(models.Model):
    """A page the factory made from a blueprint, keyed as in the blueprint.

    The fingerprint is the blueprint content the page was made or last updated from; it lets
    a re-run tell a changed blueprint from an unchanged one. `page` is null once an editor
    deleted the page, and a page outside the site (in the recycle bin) counts as deleted: the
    factory then leaves it deleted unless the blueprint requires it.
    """

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="provisioned_pages"
    )
    key = models.CharField(max_length=64)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    fingerprint = models.CharField(max_length=32)
    # The revision the factory wrote last: a page whose latest revision is still this one
    # has not been edited since.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("page provisionnée")
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "key"], name="one_page_per_key")
        ]

    def __str__(self):
        return f"{self.collectivite} / {self.key}"


class ProvisioningLog(models.Model):
    """What one provisioning of one collectivité did: the history Pays staff see."""

    class Result(models.TextChoices):
        CREATED = "created", _("créée")
        UPDATED = "updated", _("mise à jour")
        UNCHANGED = "unchanged", _("inchangée")
        FAILED = "failed", _("échec")
        ARCHIVED = "archived", _("archivée")
        RESTORED = "restored", _("restaurée")

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="provisioning_logs"
    )
    blueprint = models.CharField(_("modèle de site"), max_length=50, blank=True)
    result = models.CharField(_("résultat"), max_length=16, choices=Result.choices)
    details = models.TextField(_("détails"), blank=True)
    user = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("journal de provisionnement")
        verbose_name_plural = _("journal de provisionnement")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.collectivite} — {self.get_result_display()}"


class TreeReservation(models.Model):
    """The next free path step below a page, for provisioning workers running side by side.

    A batch of new sites reserves its homes' steps in a short transaction of its own, then
    inserts them without holding the parent page's lock for the whole batch; the parent is
    locked only at the end, to count its new children (sitefactory.services.tree). A step
    reserved by a batch that failed is left unused: a gap in the paths, as a deleted page
    leaves, which treebeard allows."""

    parent = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    next_step = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("réservation de chemins")
        verbose_name_plural = _("réservations de chemins")

    def __str__(self):
        return f"{self.parent_id}: {self.next_step}"
