"""Baked pages: every public URL of a site rendered to files, served without Django.

`engine.bake_site(site)` renders a site into a new generation and swaps the site's symlink;
`server.BakedPages` answers from the files before Django; `schedule` withdraws a site's files
at each committed change and bakes it again in the background. Layout and invariants:
docs/serving.md#baked-pages.
"""

_extra_paths = []
_preloads = []


def bypass_cookies():
    """The cookies that make a request personal, so never answered from the files: the
    session's (a logged-in editor) and BAKED_BYPASS_COOKIES (Django's messages). One list,
    read by Django's BakedPages and written into nginx's configuration (serving.front)."""
    from django.conf import settings

    names = [settings.SESSION_COOKIE_NAME, *getattr(settings, "BAKED_BYPASS_COOKIES", [])]
    return list(dict.fromkeys(names))


def register_extra_paths(provider):
    """`provider(site)` -> iterable of URL paths to bake besides the pages' own (a stylesheet,
    a feed outside the page tree)."""
    if provider not in _extra_paths:
        _extra_paths.append(provider)


def extra_paths(site):
    for provider in list(_extra_paths):
        yield from provider(site)


def register_preload(preload):
    """`preload(site, paths)` ({path: its live specific page, or None}) fills, in bulk, what
    rendering each page would otherwise look up one page at a time (breadcrumbs, language
    versions): called by the engine before it renders a site."""
    if preload not in _preloads:
        _preloads.append(preload)


def preloads():
    return list(_preloads)
