"""What a section (directory, newcomers, occitan) adds to the commune sites.

Sections stand above `communes`: they know its pages, never the reverse. A section says, from
its AppConfig.ready(), which of its page types may be created under a home page and which
panels it shows in a commune page's slots; commune templates render the slots with
`{% section_panels "<slot>" page %}` without knowing who fills them.

Slots today: "home" (a commune's home page, beside the mairie), "demarche" (a démarche
page, below its own text), "personal-data" (a site's « Données personnelles » page, after
the contact messages' retention) and "portal" (the portal's list of collectivités, after
its A–Z: the directory's map of them).

A section may also answer for a page type's routes through a named provider: the Démarches
index asks the "demarches" provider for service-public.fr's themes and fiches, served on
every site without a page per fiche (`provide` / `provider`).

And it may add a link to the commune sites' footer, under « À l'échelle du Pays »
(`add_link("footer", label, url)`): `url(page)` gives the address, or None to leave the link
out (the section's page is not published yet). It is called on every page view: it answers
from the cache (serving.cache), never from the database.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Panel:
    template_name: str
    # page -> the template's context, or None when the panel has nothing to show.
    context: Callable


_PANELS = defaultdict(list)


def allow_below(child, parents):
    """Let page type `child` ("app.Model") be created under each of `parents`."""
    for label in parents:
        parent = apps.get_model(label)
        if parent.subpage_types is not None and child not in parent.subpage_types:
            parent.subpage_types = [*parent.subpage_types, child]
            # Wagtail memoises the resolved list on first use (Page.clean_subpage_models).
            parent._clean_subpage_models = None


def add_panel(slot, template_name, context):
    panel = Panel(template_name, context)
    if panel not in _PANELS[slot]:
        _PANELS[slot].append(panel)


def panels(slot):
    return tuple(_PANELS[slot])


@dataclass(frozen=True)
class Link:
    label: str
    # page -> the link's address, or None when there is nothing to link to.
    url: Callable


_LINKS = defaultdict(list)


def add_link(slot, label, url):
    """Let the sections' links of `slot` ("footer") include `label`, to `url(page)`."""
    link = Link(label, url)
    if link not in _LINKS[slot]:
        _LINKS[slot].append(link)


def links(slot, page):
    """[{"label", "url"}] of the links the sections give for this page, in their order."""
    found = []
    for link in _LINKS[slot]:
        url = link.url(page)
        if url:
            found.append({"label": link.label, "url": url})
    return found


_PROVIDERS = {}


def provide(name, provider):
    """Let `provider` answer for `name` (one provider per name: the last one wins)."""
    _PROVIDERS[name] = provider


def provider(name):
    """The provider registered for `name`, or None when no section gives one."""
    return _PROVIDERS.get(name)
