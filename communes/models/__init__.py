from .media import SiteDocument, SiteImage, SiteRendition
from .pages import CollectiviteHomePage, CollectiviteIndexPage, PortalHomePage, StandardPage
from .registry import Collectivite, CollectiviteGroup

__all__ = [
    "SiteDocument",
    "SiteImage",
    "SiteRendition",
    "Collectivite",
    "CollectiviteGroup",
    "CollectiviteHomePage",
    "CollectiviteIndexPage",
    "PortalHomePage",
    "StandardPage",
]
