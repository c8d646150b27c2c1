"""Putting a synced photo on a commune's home page without publishing anybody's draft.

- The home page has no unpublished changes: a revision is saved and published (no user),
  as an editor would; the history shows it.
- A draft is pending (a secretary's work, maybe in moderation): the live page row gets the
  photo directly, and so does its live revision; the draft's revision gets it too only if
  the draft still shows the photo the live page showed (the secretary did not choose another
  one). Nothing is published: the draft stays a draft, and publishing it later keeps the
  new photo.
"""

from wagtail.models import Revision

from serving.signals import bump_for_pages


def replaceable(home, force: bool) -> bool:
    """May the sync put a Commons photo on this home page? Not over the commune's own photo,
    unless a Pays user forces it; a demo illustration is nobody's choice."""
    photo = home.photo
    return force or photo is None or photo.origin == "commons" or photo.demo_stand_in


def set_photo(home, image) -> None:
    if home.photo_id == image.pk:
        return
    if not home.has_unpublished_changes:
        home.photo = image
        revision = home.save_revision(clean=False, log_action=True)
        revision.publish(skip_permission_checks=True)
        return
    previous = home.photo_id
    type(home).objects.filter(pk=home.pk).update(photo=image)
    home.photo = image
    if home.live_revision_id:
        _patch(Revision.objects.filter(pk=home.live_revision_id).first(), previous, image.pk)
    latest = home.get_latest_revision()
    if latest and latest.pk != home.live_revision_id:
        _patch(latest, previous, image.pk)
    bump_for_pages(home.url_path)  # update() sends no signal


def _patch(revision, previous, new):
    if revision is None or revision.content.get("photo") != previous:
        return
    revision.content["photo"] = new
    revision.save(update_fields=["content"])
