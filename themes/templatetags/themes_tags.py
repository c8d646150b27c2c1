from django import template

register = template.Library()


def site_of(page):
    """page.get_site(), once per page object: header, title and footer all ask for it."""
    if not hasattr(page, "get_site"):  # error pages render without a page
        return None
    if not hasattr(page, "_bastide_site"):
        page._bastide_site = page.get_site()
    return page._bastide_site


@register.simple_tag
def page_site(page):
    return site_of(page)
