from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from communes import sections
from communes.models import Banner, Collectivite
from communes.services.hours import PARIS, time_label
from serving.cache import cached
from serving.clock import changes_at
from serving.pages import site_of

register = template.Library()


@register.inclusion_tag("communes/components/banners.html", takes_context=True)
def site_banners(context):
    """Active banners for the site being viewed: its own, its EPCI's, the whole Pays'."""
    request = context.get("request")
    page = context.get("page")
    site = site_of(page)
    if site is None:
        return {"banners": []}

    def build():
        # Every banner still to come or running; the time filter is applied at each render,
        # so a banner appears and expires on time whatever the cache holds.
        collectivite = Collectivite.objects.filter(site=site).only("epci_id").first()
        banners = (
            Banner.objects.filter(live=True, end__gt=timezone.now())
            .for_site(site, collectivite)
            .select_related("link_page")
        )
        return [
            {
                "level": b.level,
                "title": b.title,
                "text": b.text,
                "link": b.link,
                "start": b.start,
                "end": b.end,
            }
            for b in banners
        ]

    now = timezone.now()
    order = {"urgent": 0, "important": 1, "info": 2}
    kept = cached("banners", [site.pk], build)
    items = [
        {**b, "level_label": Banner.Level(b["level"]).label}
        for b in kept
        if b["start"] <= now < b["end"]
    ]
    # The next banner to start, or the first shown to end: the bar changes then.
    moments = [b["start"] if b["start"] > now else b["end"] for b in kept if b["end"] > now]
    changes_at(min(moments, default=None), "bandeaux")
    items.sort(key=lambda b: (order[b["level"]], b["start"]))
    return {"banners": items, "request": request}


@register.filter
def clock(value):
    """A time of day the French way (« 9 h », « 18 h 30 »); a datetime in Paris time."""
    if value in (None, ""):
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "date"):
        value = value.astimezone(PARIS).time() if timezone.is_aware(value) else value.time()
    return time_label(value)


@register.filter
def tel_uri(value):
    """A phone number as typed (« 05 53 27 47 00 », « 05.53… ») for a tel: link."""
    return "".join(c for c in str(value) if c.isdigit() or c == "+")


@register.simple_tag
def document_link(document, label=None):
    """A link that says what the visitor will download: format and size."""
    from django.template.defaultfilters import filesizeformat
    from django.utils.html import format_html

    if document is None:
        return ""
    # Read, never written: Wagtail's get_file_size() saves the document when the size is not
    # recorded yet, and a save during a render would bump the content versions.
    size = document.file_size
    if size is None:
        try:
            size = document.file.size
        except (OSError, ValueError):
            size = None
    details = document.format_label or "?"
    if size:
        details = f"{details}, {filesizeformat(size)}"
    return format_html(
        '<a href="{}" class="document-link">{}<span class="document-link__meta"> ({})</span></a>',
        document.url,
        label or document.title,
        details,
    )


@register.filter
def safe_richtext(value):
    """Like Wagtail's |richtext, with anything that could run a script removed."""
    from communes.richtext import render_rich_text

    return render_rich_text(value)


LEGAL_SLUGS = ("accessibilite", "mentions-legales", "donnees-personnelles", "plan-du-site")


@register.simple_tag(takes_context=True)
def legal_footer(context):
    """The legal pages of the site being viewed, and its accessibility mention."""
    from communes.models import AccessibilityPage
    from communes.models.legal import Conformity

    page = context.get("page")
    site = site_of(page)
    if site is None:
        return {"links": [], "accessibility": None, "site_name": ""}

    def build():
        root = site.root_page
        if page.locale_id != root.locale_id:
            root = root.get_translation_or_none(page.locale) or root
        children = {
            p.slug: p for p in root.get_children().live().filter(slug__in=LEGAL_SLUGS).specific()
        }
        links = [
            {"title": children[slug].title, "url": children[slug].get_url(current_site=site)}
            for slug in LEGAL_SLUGS
            if slug in children
        ]
        declaration = children.get("accessibilite")
        accessibility = None
        if isinstance(declaration, AccessibilityPage):
            accessibility = {
                "url": declaration.get_url(current_site=site),
                "conformity": str(declaration.conformity),
            }
        return {"links": links, "accessibility": accessibility, "site_name": site.site_name}

    data = dict(cached("legal", [site.pk, page.locale_id], build))
    if data["accessibility"]:
        data["accessibility"] = {
            **data["accessibility"],
            "label": Conformity(data["accessibility"]["conformity"]).label,
        }
    return data


@register.simple_tag
def section_panels(slot, page):
    """The panels the sections (directory...) show in this slot of a commune page
    (communes.sections)."""
    html = []
    for panel in sections.panels(slot):
        context = panel.context(page)
        if context is not None:
            html.append(render_to_string(panel.template_name, context))
    return mark_safe("".join(html))  # noqa: S308 - rendered by the template engine


@register.simple_tag
def section_links(slot, page):
    """The links the sections add to this slot (communes.sections.add_link)."""
    if not hasattr(page, "get_site"):  # error pages render without a page
        return []
    return sections.links(slot, page)


@register.simple_tag(takes_context=True)
def home_photo_jsonld(context, page):
    """The home page's photo as a schema.org ImageObject with its credit (communes.jsonld)."""
    from communes.jsonld import PHOTO_FILTER, image_object, jsonld_script

    request = context.get("request")
    rendition = page.photo.get_rendition(PHOTO_FILTER)
    content_url = request.build_absolute_uri(rendition.url) if request else rendition.url
    page_url = page.get_full_url(request) or ""
    return jsonld_script(image_object(page.photo, content_url, page_url))


@register.simple_tag(takes_context=True)
def event_jsonld(context, page, start, end=None):
    """An event or a council meeting as a schema.org Event (communes.jsonld)."""
    from communes.jsonld import event_object, jsonld_script

    url = page.get_full_url(context.get("request")) or ""
    return jsonld_script(event_object(page.title, start, url, page.place, end))
