from sitefactory.management.lifecycle import LifecycleCommand
from sitefactory.services.lifecycle import archive


class Command(LifecycleCommand):
    help = "Take collectivités' sites offline, keeping every page (idempotent)."
    service = staticmethod(archive)
