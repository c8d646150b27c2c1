from django import template

from serving.cache import cached
from serving.pages import site_of

register = template.Library()


@register.simple_tag
def page_site(page):
    return site_of(page)


@register.simple_tag
def site_menu(page):
    """The site's menu (its home's children shown in menus), cached per content version."""
    site = site_of(page)
    if site is None:
        return {"home": "/", "items": []}

    def build():
        root = site.root_page
        items = [
            {"id": p.pk, "title": p.title, "url": p.get_url(current_site=site)}
            for p in root.get_children().live().in_menu()
        ]
        return {"home": root.get_url(current_site=site), "items": items}

    return cached("menu", [site.pk], build)


@register.simple_tag
def page_language(page):
    """The page's language code, without a query per page view."""
    from wagtail.models import Locale

    codes = cached("locales", [], lambda: dict(Locale.objects.values_list("pk", "language_code")))
    return codes.get(page.locale_id, "fr")
