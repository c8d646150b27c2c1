"""The test settings, with reads routed to the replica as in production: the settings of
tests/replica_app.py, the Django that tests/test_read_replica.py drives (DATABASE_URL and
DATABASE_REPLICA_URL name its own primary and standby)."""

from config.settings.databases import DATABASE_ROUTERS as ROUTED
from config.settings.test import *  # noqa: F403

DATABASE_ROUTERS = ROUTED
