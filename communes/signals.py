from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from communes.hosts import forget_hostnames

post_save.connect(forget_hostnames, sender=Site, dispatch_uid="bastide-hostnames-save")
post_delete.connect(forget_hostnames, sender=Site, dispatch_uid="bastide-hostnames-delete")

# What every page shows around its content is cached per content version (themes.cache):
# banners and the registry feed it too.
from communes.models import Banner, Collectivite  # noqa: E402
from themes.cache import bump_content_version  # noqa: E402


def _bump(**_kwargs):
    bump_content_version()


for _model in (Banner, Collectivite):
    post_save.connect(_bump, sender=_model, dispatch_uid=f"bastide-cv-save-{_model.__name__}")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"bastide-cv-del-{_model.__name__}")
