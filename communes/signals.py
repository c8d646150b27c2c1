from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from communes.hosts import forget_hostnames

post_save.connect(forget_hostnames, sender=Site, dispatch_uid="bastide-hostnames-save")
post_delete.connect(forget_hostnames, sender=Site, dispatch_uid="bastide-hostnames-delete")
