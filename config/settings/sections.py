"""The sections' settings, one module each, read from the environment."""

from .admin_language import *  # noqa: F403 - the admin's date formats (docs/i18n.md)
from .alerts import *  # noqa: F403 - the residents' alerts (docs/alerts.md)
from .baking import *  # noqa: F403 - the baked pages (docs/serving.md#baked-pages)
from .guide import *  # noqa: F403 - the editors' guide in the admin (docs/guide-secretaire.md)
from .newcomers import *  # noqa: F403
from .occitan import *  # noqa: F403
from .photo_call import *  # noqa: F403 - the « appel à photos » (docs/photos.md)
from .photos import *  # noqa: F403 - the communes' photos (docs/photos.md)
from .quality import *  # noqa: F403 - the « démarche qualité » (docs/quality.md)
