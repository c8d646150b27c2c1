"""Directory changes show at once on the pages that list entries (serving.cache)."""

from serving.signals import bump_on_change


def connect():
    from directory.models import Category, Fiche, HoursException, OpeningHours, ServiceEntry

    bump_on_change(ServiceEntry, Category, Fiche, OpeningHours, HoursException)
