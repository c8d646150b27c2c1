"""The newcomers' guide: one module per part (the guide's pages, the takeover offers and
their alert, the application form and its routing)."""

from .alerts import OfferAlertSubscription
from .application_page import ApplicationPage
from .applications import Application, Partner, Sector, Timeframe
from .guide import GuideIndexPage, GuideTopicPage, TestimonialPage, TestimonialPhoto
from .offers import OfferIndexPage, OfferPage, OfferPhoto

__all__ = [
    "Application",
    "ApplicationPage",
    "Partner",
    "Sector",
    "Timeframe",
    "GuideIndexPage",
    "GuideTopicPage",
    "OfferAlertSubscription",
    "OfferIndexPage",
    "OfferPage",
    "OfferPhoto",
    "TestimonialPage",
    "TestimonialPhoto",
]
