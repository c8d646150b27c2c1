"""The lookup's terms follow the lexicon: rewritten whenever a row is saved (deleted rows take
theirs with them, on cascade)."""

from django.db.models.signals import post_save

from occitan.services import terms


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A full save or a save of the text writes the terms from the row; a save of other
    fields (a draft revision of a live row writes only `latest_revision`...) keeps the live
    text's terms, and follows only the row's `live` flag."""
    if raw:
        return
    if update_fields is None or set(update_fields) & sender.text_fields():
        terms.write(instance)
    elif "live" in update_fields:
        terms.set_live(instance)


def connect(*models):
    for model in models:
        post_save.connect(
            _saved, sender=model, dispatch_uid=f"bastide-occitan-terms-{model._meta.label}"
        )
