"""Baked pages: every public URL of a site rendered to files, served without Django.

`engine.bake_site(site)` renders a site into a new generation and swaps the site's symlink;
`server.BakedPages` answers from the files before Django; `schedule` withdraws a site's files
at each committed change and bakes it again in the background. Layout and invariants:
docs/serving.md#baked-pages.
"""

_extra_paths = []


def register_extra_paths(provider):
    """`provider(site)` -> iterable of URL paths to bake besides the pages' own (a stylesheet,
    a feed outside the page tree)."""
    if provider not in _extra_paths:
        _extra_paths.append(provider)


def extra_paths(site):
    for provider in list(_extra_paths):
        yield from provider(site)
