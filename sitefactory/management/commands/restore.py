from sitefactory.management.lifecycle import LifecycleCommand
from sitefactory.services.lifecycle import restore


class Command(LifecycleCommand):
    help = "Put archived sites back online as they were (idempotent)."
    service = staticmethod(restore)
