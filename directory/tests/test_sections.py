"""The directory joins the commune sites from its own side (communes.sections): communes
names none of its pages, tags or templates."""

import re
from pathlib import Path

from communes import sections
from communes.models import CollectiviteHomePage, DemarchePage, PortalHomePage
from directory.models import ServicesPage


def test_a_services_page_may_be_created_under_the_portal_and_a_commune_home():
    assert ServicesPage in PortalHomePage.clean_subpage_models()
    assert ServicesPage in CollectiviteHomePage.clean_subpage_models()
    assert ServicesPage not in DemarchePage.clean_subpage_models()


def test_the_directory_fills_the_home_and_demarche_slots():
    assert "directory/components/nearest_services.html" in [
        p.template_name for p in sections.panels("home")
    ]
    assert [p.template_name for p in sections.panels("demarche")] == [
        "directory/components/fiche.html"
    ]
    assert sections.panels("no-such-slot") == ()


# An import, a model label, a template path or a tag library of the directory app.
NAMES_DIRECTORY = re.compile(
    r"""(from|import) directory\b|["']directory[./]|{% load [^%]*\bdirectory_"""
)


def test_communes_names_nothing_of_the_directory():
    communes = Path(__file__).resolve().parents[2] / "communes"
    offending = [
        f"{path.relative_to(communes)}: {line.strip()}"
        for path in communes.rglob("*")
        if path.suffix in {".py", ".html"}
        and "migrations" not in path.parts
        and "tests" not in path.parts
        for line in path.read_text().splitlines()
        if NAMES_DIRECTORY.search(line)
    ]
    assert offending == []
