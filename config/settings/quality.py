"""Settings of the quality dashboard and of the weekly digest (docs/quality.md), read from the
environment."""

import os

# Past this many days, the most recent news of a site is stale.
QUALITY_STALE_NEWS_DAYS = int(os.environ.get("QUALITY_STALE_NEWS_DAYS", "60"))
# Past this many days, the most recent council minutes are stale (a commune's council meets
# at least once a quarter, CGCT L2121-7).
QUALITY_STALE_MINUTES_DAYS = int(os.environ.get("QUALITY_STALE_MINUTES_DAYS", "120"))
# Past this many days without any edit, a site is asleep.
QUALITY_STALE_EDIT_DAYS = int(os.environ.get("QUALITY_STALE_EDIT_DAYS", "90"))
# Days a secretary has after a council meeting to attach its minutes before it is a to-do.
QUALITY_MINUTES_GRACE_DAYS = int(os.environ.get("QUALITY_MINUTES_GRACE_DAYS", "15"))
# Which editors of a collectivité get the weekly digest (accounts.services.editors roles).
QUALITY_DIGEST_ROLES = tuple(
    role.strip()
    for role in os.environ.get("QUALITY_DIGEST_ROLES", "secretariat").split(",")
    if role.strip()
)
