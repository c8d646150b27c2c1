"""Provisioning, the site and its collection of images and documents."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, Page, Site

from sitefactory.services.blueprints import hostname_for
from sitefactory.services.tree import add_collection


class SiteMixin:
    """The site and the collection of one collectivité; part of the Provisioner."""

    def _ensure_site(self, c, home, outcome) -> Site:
        hostname = hostname_for(c)
        site = Site.objects.filter(pk=c.site_id).first() if c.site_id else None
        if site is None:
            site = Site.objects.filter(hostname=hostname).first()
        if site is None and c.is_pays:
            site = Site.objects.filter(is_default_site=True).first()
        wanted = {
            "hostname": hostname,
            "port": settings.SITE_PORT,
            "root_page_id": home.pk,
            "site_name": c.name,
            "is_default_site": c.is_pays,
        }
        if site is None:
            site = Site.objects.create(**wanted)
            outcome.changes.append(f"site {hostname} créé")
        elif any(getattr(site, k) != v for k, v in wanted.items()):
            old_root = site.root_page_id
            for k, v in wanted.items():
                setattr(site, k, v)
            site.save()
            outcome.changes.append(f"site {hostname} mis à jour")
            if c.is_pays and old_root != home.pk:
                self._drop_wagtail_welcome_page(old_root)
        return site

    @staticmethod
    def _drop_wagtail_welcome_page(page_id):
        """A fresh Wagtail install has a bare 'Welcome' page; the portal replaces it."""
        page = Page.objects.filter(pk=page_id, depth=2, numchild=0).first()
        if page and page.content_type == ContentType.objects.get_for_model(Page):
            page.delete()

    def _ensure_collection(self, c, outcome) -> Collection:
        if c.collection_id:
            collection = Collection.objects.filter(pk=c.collection_id).first()
            if collection:
                if collection.name != c.name:
                    collection.name = c.name
                    collection.save(update_fields=["name"])
                    outcome.changes.append("collection renommée")
                return collection
        collection = add_collection(self.root_collection(), c.name)
        outcome.changes.append("collection créée")
        return collection
