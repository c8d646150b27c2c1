"""What a provisioning run says: one outcome per collectivité, and their sum."""

from dataclasses import dataclass, field

from communes.models import Collectivite

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


class ProvisioningError(Exception):
    pass


@dataclass
class Outcome:
    collectivite: Collectivite
    result: str
    blueprint: str = ""
    changes: list[str] = field(default_factory=list)
    error: str = ""
    new_page_ids: list[int] = field(default_factory=list)
    batched: bool = False  # made in a batch (sitefactory.services.batch)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    # Pages made before the factory wrote revisions, given their first one by this run.
    initial_revisions: int = 0
    # The processes of a run in parallel workers (sitefactory.services.parallel).
    worker_pids: set = field(default_factory=set)

    def count(self, result):
        return sum(1 for o in self.outcomes if o.result == result)

    @property
    def summary(self):
        return (
            f"created {self.count(CREATED)}, updated {self.count(UPDATED)}, "
            f"unchanged {self.count(UNCHANGED)}, failed {self.count(FAILED)}"
        )
