"""The newcomers' guide: one module per part (the guide's pages, the takeover offers and
their alert, the application form and its routing)."""

from .alerts import OfferAlertSubscription
from .guide import GuideIndexPage, GuideTopicPage, TestimonialPage, TestimonialPhoto
from .offers import OfferIndexPage, OfferPage, OfferPhoto

__all__ = [
    "GuideIndexPage",
    "GuideTopicPage",
    "OfferAlertSubscription",
    "OfferIndexPage",
    "OfferPage",
    "OfferPhoto",
    "TestimonialPage",
    "TestimonialPhoto",
]
