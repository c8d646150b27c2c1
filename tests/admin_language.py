"""What a French admin page must not show, and the admin pages a secretary uses.

Shared by the fast check (tests/test_admin_language.py, Django's test client and the HTML's
text) and the browser walk (tests/browser/test_admin_language.py, Chromium's innerText).
"""

import datetime
import re

from bs4 import BeautifulSoup

# Whole words, case-sensitive: the English that a gap in a catalogue leaves on screen, and
# Python's values. Words that are French as well (« Date », « Type », « Page », « Image »,
# « Document », « Description », « Message », « Pays ») or proper nouns are not listed.
ENGLISH_WORDS = (
    "Add", "Any", "Cancel", "Choose", "Close", "Create", "Created", "Dashboard", "Delete",
    "Draft", "Edit", "Edited", "Help", "History", "Home", "Live", "Locked", "Owner",
    "Preview", "Publish", "Published", "Remove", "Save", "Search", "Settings", "Status",
    "Submit", "Summary", "Title", "Unpublish", "Updated", "Upload", "User", "View",
    "created", "updated", "unchanged",
)  # fmt: skip
PYTHON_VALUES = ("True", "False", "None")
# In capitals too: the browser reads text as CSS shows it, and Wagtail's labels are often
# `text-transform: uppercase` (« STATUS ACTUEL DE LA PAGE »).
_REFUSED = ENGLISH_WORDS + PYTHON_VALUES
_WORDS = re.compile(
    r"(?<![\w'’-])(" + "|".join(_REFUSED + tuple(w.upper() for w in _REFUSED)) + r")(?![\w'’-])"
)
# 2026-12-11: the admin writes dates the French way (WAGTAIL_DATE_FORMAT).
ISO_DATE = re.compile(r"(?<!\d)20\d\d-[01]\d-[0-3]\d(?!\d)")


def visible_text(html):
    """The text of a page as a reader meets it, screen readers included: no scripts, styles,
    templates, nor what the page hides (`hidden`), except the tabs, which scripts show."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template", "noscript", "svg"]):
        tag.decompose()
    for tag in soup.select("[hidden]:not([role=tabpanel])"):
        tag.decompose()
    return " ".join((soup.body or soup).get_text(" ").split())


def offences(text, width=50):
    """Each English word, Python value or ISO date in `text`, with the text around it."""
    found = []
    for pattern in (_WORDS, ISO_DATE):
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - width) : match.end() + width]
            found.append(f"« {match.group(0)} » in « …{around}… »")
    return found


def report(found):
    """One line per page and offence, for a failure message."""
    return "\n".join(f"{url}: {offence}" for url, offence in found)


def with_an_exceptional_closure(mairie):
    """The mairie page with a closure on 11 December 2026, saved in a new revision too: the
    editor shows the latest revision."""
    mairie.hours_exceptions.create(
        date_from=datetime.date(2026, 12, 11), label="Élections", closed=True
    )
    mairie.save_revision().publish()
    return mairie


def secretary_admin_urls(collectivite):
    """The admin pages a commune's secretary works in, by what she sees there."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from communes.models import (
        Banner,
        CouncilMeetingPage,
        MairiePage,
        NewsPage,
        SiteDocument,
        SiteImage,
    )

    home = Page.objects.get(pk=collectivite.site.root_page_id)
    site_pages = Page.objects.descendant_of(home, inclusive=True)
    mairie = MairiePage.objects.child_of(home).get()
    news = NewsPage.objects.filter(pk__in=site_pages).first()
    meeting = CouncilMeetingPage.objects.filter(pk__in=site_pages).first()
    banner = Banner.objects.filter(site_id=collectivite.site_id).first()
    image = SiteImage.objects.filter(collection_id=collectivite.collection_id).first()
    document = SiteDocument.objects.filter(collection_id=collectivite.collection_id).first()
    user = get_user_model().objects.get(username=f"secretaire-{collectivite.slug}")
    urls = {
        "tableau de bord": "/admin/",
        "explorateur": f"/admin/pages/{home.pk}/",
        "actualité": f"/admin/pages/{news.pk}/edit/",
        "mairie": f"/admin/pages/{mairie.pk}/edit/",
        "historique de la mairie": f"/admin/pages/{mairie.pk}/history/",
        "séance du conseil": f"/admin/pages/{meeting.pk}/edit/",
        "bandeaux": "/admin/snippets/communes/banner/",
        "bandeau": f"/admin/snippets/communes/banner/edit/{banner.pk}/",
        "images": "/admin/images/",
        "image": f"/admin/images/{image.pk}/",
        "documents": "/admin/documents/",
        "document": f"/admin/documents/edit/{document.pk}/",
        "recherche de pages": "/admin/pages/search/?q=mairie",
        "compte": "/admin/account/",
        "flux de validation": "/admin/reports/workflow/",
        "tâches de validation": "/admin/reports/workflow_tasks/",
        "historique du site": "/admin/reports/site-history/",
        "pages vieillissantes": "/admin/reports/aging-pages/",
    }
    return user, urls
