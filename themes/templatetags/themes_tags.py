from django import template
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from serving.cache import cached
from serving.languages import content_language, locale_codes, page_versions
from serving.pages import remember_root_page, site_of, site_root_paths

# Each language named in itself: a visitor looks for their own language's name.
LANGUAGE_NAMES = [("fr", "Français"), ("en", "English"), ("oc", "Occitan")]

register = template.Library()


@register.simple_tag
def page_site(page):
    return site_of(page)


@register.simple_tag
def site_menu(page):
    """The site's menu, cached per content version: its home's children shown in menus,
    except the listings (news, agenda, bulletins, council: `menu_needs_children`) that list
    nothing yet, so that a secretary never has to build or prune it."""
    site = site_of(page)
    if site is None:
        return {"home": "/", "items": []}

    language = get_language()

    def build():
        from django.db.models.functions import Substr
        from wagtail.models import Page

        root = site.root_page.localized
        home = site.root_page
        children = list(home.get_children().live().in_menu())
        # The paths of the children that have a live child, in one query.
        listing = Page.objects.live().filter(path__startswith=home.path, depth=home.depth + 2)
        step = len(home.path) + Page.steplen
        filled = set(listing.values_list(Substr("path", 1, step), flat=True).distinct())
        children = [
            c
            for c in children
            if c.path in filled or not getattr(c.specific_class, "menu_needs_children", False)
        ]
        # An item not translated yet shows in French (marked so), not missing.
        translated = {
            p.translation_key: p
            for p in Page.objects.filter(
                translation_key__in=[c.translation_key for c in children],
                locale_id=root.locale_id,
                live=True,
            )
        }
        site_root_paths().prefetch([root, *children, *translated.values()])
        items = []
        for child in children:
            p = translated.get(child.translation_key, child)
            lang = content_language(p)
            items.append(
                {
                    "id": p.pk,
                    "title": p.title,
                    "url": p.get_url(current_site=site),
                    "lang": "" if lang == language else lang,
                }
            )
        return {"home": root.get_url(current_site=site), "items": items}

    return cached("menu", [site.pk, language], build)


@register.inclusion_tag("themes/components/breadcrumbs.html")
def breadcrumbs(page):
    """« Fil d'Ariane »: the page's ancestors from its site's home, then the page itself.
    Nothing on a home page or a view without a page. Cached per content version."""
    site = site_of(page) if getattr(page, "depth", None) else None
    if site is None or page.depth <= site.root_page.depth:
        return {"crumbs": []}

    def build():
        ancestors = page.get_ancestors().filter(depth__gte=site.root_page.depth)
        return [
            {"title": a.title, "url": a.get_url(current_site=site)}
            for a in ancestors.only("title", "url_path", "path", "depth", "locale_id")
        ]

    crumbs = cached("breadcrumbs", [page.pk, get_language()], build)
    return {"crumbs": crumbs, "current": page.title}


def preload_breadcrumbs(site, paths):
    """The crumbs of every page a bake of `site` renders, from the pages the bake already
    holds (serving.baking.register_preload), under the key `breadcrumbs` uses when the page
    is served in its own language. A page with an ancestor the bake does not hold (not live,
    private) is left to `breadcrumbs`."""
    from wagtail.models import Page

    pages = {page.pk: page for page in paths.values() if page is not None}
    by_path = {page.path: page for page in pages.values()}
    languages = locale_codes()
    root_depth, steplen = site.root_page.depth, Page.steplen
    remember_root_page(site)
    for page in pages.values():
        if page.depth <= root_depth or page.locale_id not in languages:
            continue
        chain = [by_path.get(page.path[: d * steplen]) for d in range(root_depth, page.depth)]
        if any(ancestor is None for ancestor in chain):
            continue
        crumbs = [{"title": a.title, "url": a.get_url(current_site=site)} for a in chain]
        cached("breadcrumbs", [page.pk, languages[page.locale_id]], lambda crumbs=crumbs: crumbs)


@register.simple_tag
def page_language(page):
    """The page's language code, without a query per page view."""
    return content_language(page)


# The note shown on a page served in another language than the visitor's, in the visitor's.
MISSING_TRANSLATION_NOTES = {
    "en": _("Cette page n'existe pas encore en anglais."),
    "oc": _("Cette page n'existe pas encore en occitan."),
}


@register.simple_tag(takes_context=True)
def page_languages(context, page):
    """What the <head> and the switcher need: the interface and content languages, the
    page's versions (language, name, URL), x-default, and the note if there is one."""
    interface = get_language() or settings.LANGUAGE_CODE
    # Error pages render without a page, and views that are not pages (search results) with
    # the home page as their frame: theirs are not the home page's languages.
    if not hasattr(page, "translation_key") or context.get("self") is not page:
        return {"interface": interface, "content": interface, "versions": [], "note": ""}
    content = content_language(page)
    current_site = site_of(page)
    names = dict(LANGUAGE_NAMES)
    versions = []
    for version in page_versions(page.translation_key):
        code = version["language"]
        same_site = current_site is not None and version["site_id"] == current_site.pk
        full = (version["root_url"] or "") + version["path"]
        versions.append(
            {
                "code": code,
                "name": names.get(code, code),
                "url": version["path"] if same_site else full,
                "full_url": full,
                "current": code == content,
            }
        )
    default = next(
        (v for v in versions if v["code"] == settings.LANGUAGE_CODE),
        versions[0] if versions else None,
    )
    note = MISSING_TRANSLATION_NOTES.get(interface, "") if content != interface else ""
    return {
        "interface": interface,
        "content": content,
        "versions": versions,
        "x_default": default["full_url"] if default else "",
        "note": note,
    }
