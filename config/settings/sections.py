"""The sections' settings, one module each, read from the environment."""

from .admin_language import *  # noqa: F403 - the admin's date formats (docs/i18n.md)
from .newcomers import *  # noqa: F403
from .occitan import *  # noqa: F403
from .photo_call import *  # noqa: F403 - the « appel à photos » (docs/photos.md)
from .photos import *  # noqa: F403 - the communes' photos (docs/photos.md)
