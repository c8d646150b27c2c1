from .pages import CollectiviteHomePage, CollectiviteIndexPage, PortalHomePage, StandardPage
from .registry import Collectivite, CollectiviteGroup

__all__ = [
    "Collectivite",
    "CollectiviteGroup",
    "CollectiviteHomePage",
    "CollectiviteIndexPage",
    "PortalHomePage",
    "StandardPage",
]
