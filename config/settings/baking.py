"""Baked pages: public pages rendered to files, served without Django.

See docs/serving.md#baked-pages.
"""

import os
from pathlib import Path


def _flag(name, default):
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


_BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Where the generations of each site's files and the symlinks to the current ones live.
BAKED_ROOT = Path(os.environ.get("BAKED_ROOT") or _BASE_DIR / "var" / "baked")
# Off: every change still bumps the versions, but nothing is baked nor withdrawn.
BAKING_ENABLED = _flag("BAKING_ENABLED", True)
# A request carrying one of these cookies, or the session's, is answered by Django (a message;
# a logged-in editor): serving.baking.bypass_cookies().
BAKED_BYPASS_COOKIES = ["messages"]
# Off (tests): the sites a change leaves to bake wait, coalesced, until
# serving.baking.schedule.run_pending() is called, instead of a task or a thread baking them.
BAKING_BACKGROUND = _flag("BAKING_BACKGROUND", True)
