"""The lookup's terms follow the lexicon: rewritten whenever a row is saved (deleted rows take
theirs with them, on cascade)."""

from django.db.models.signals import post_save

from occitan.services import terms


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        terms.write(instance)


def connect(*models):
    for model in models:
        post_save.connect(
            _saved, sender=model, dispatch_uid=f"bastide-occitan-terms-{model._meta.label}"
        )
