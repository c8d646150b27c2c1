from django import template

from themes.cache import cached
from themes.serving import site_for_page

register = template.Library()


def site_of(page):
    """page.get_site(), once per page object: header, title and footer all ask for it."""
    if not hasattr(page, "get_site"):  # error pages render without a page
        return None
    if not hasattr(page, "_bastide_site"):
        page._bastide_site = site_for_page(page)
    return page._bastide_site


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


class MemoNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context):
        parts = [part.resolve(context) for part in self.parts]
        return cached(
            f"fragment-{self.name}", parts, lambda: self.nodelist.render(context), shared=False
        )


@register.tag
def memo(parser, token):
    """{% memo "name" key1 key2 %}…{% endmemo %}: the enclosed markup, rendered once per
    content version and key. For markup that is costly and depends only on its keys, such
    as a photo's <picture> with its nine renditions; never for anything time- or
    user-dependent."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("memo needs a name and at least one key")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(b) for b in bits[2:]])
