"""The newcomers' guide: one module per part (the guide's pages, the takeover offers, the
application form and its routing)."""

from newcomers.models.application_page import ApplicationPage  # noqa: F401
from newcomers.models.applications import Application, Partner, Sector, Timeframe  # noqa: F401
