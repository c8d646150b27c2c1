from .banners import Banner
from .contact import ContactFormField, ContactPage
from .council import CouncilIndexPage, CouncilMeetingPage, Deliberation
from .legal import AccessibilityPage, SitemapPage
from .local import DemarchePage, DemarchesIndexPage, DiscoverPage, LocalEntry, VieLocalePage
from .mairie import HoursException, MairiePage, Official, OpeningHours
from .media import SiteDocument, SiteImage, SiteRendition
from .pages import (
    CollectiviteHomePage,
    CollectiviteIndexPage,
    PortalAgendaPage,
    PortalHomePage,
    StandardPage,
)
from .publications import (
    BulletinIndexPage,
    BulletinPage,
    EventIndexPage,
    EventPage,
    NewsIndexPage,
    NewsPage,
)
from .registry import Collectivite, CollectiviteGroup

__all__ = [
    "AccessibilityPage",
    "SitemapPage",
    "Banner",
    "BulletinIndexPage",
    "BulletinPage",
    "ContactFormField",
    "ContactPage",
    "CouncilIndexPage",
    "CouncilMeetingPage",
    "Deliberation",
    "DemarchePage",
    "DemarchesIndexPage",
    "DiscoverPage",
    "EventIndexPage",
    "EventPage",
    "HoursException",
    "LocalEntry",
    "MairiePage",
    "NewsIndexPage",
    "NewsPage",
    "Official",
    "OpeningHours",
    "VieLocalePage",
    "SiteDocument",
    "SiteImage",
    "SiteRendition",
    "Collectivite",
    "CollectiviteGroup",
    "CollectiviteHomePage",
    "CollectiviteIndexPage",
    "PortalAgendaPage",
    "PortalHomePage",
    "StandardPage",
]
