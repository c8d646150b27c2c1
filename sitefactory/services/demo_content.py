"""Demo content for every provisioned commune: written for the demo, clearly fictional.

Only `make seed` / `make demo` call this. It fills what a mairie publishes (hours, elected
officials, news, events, council meetings with minutes, a bulletin, local life, a banner)
so that every page type shows something. The content is data, in sitefactory/demo/
content.toml; these functions read it. Idempotent: a site that already has news is left
alone.
"""

import datetime
import io
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from modelcluster.models import get_all_child_relations

from communes.models import Banner, Collectivite, NewsPage, SiteDocument, SiteImage
from communes.services.hours import PARIS, time_label
from sitefactory.models import ProvisionedPage
from sitefactory.services.demo_files import landscape_jpeg, minimal_pdf
from sitefactory.services.provisioning import enqueue_indexing
from sitefactory.services.revisions import add_revisions, rewrite_revisions
from sitefactory.services.tree import Node, insert_subtree
from themes.models import ThemeSettings

CONTENT = Path(__file__).resolve().parent.parent / "demo" / "content.toml"
THEME_ROTATION = ["bastide", "dordogne", "vignoble"]
MOMENT_KEYS = {"from", "days", "hours", "at", "years", "month", "day"}
ONE_PLACEHOLDER = re.compile(r"^\{(\w+)\}$")


@dataclass
class DemoContentReport:
    filled: int = 0
    skipped: int = 0


def create_demo_content(collectivites=None) -> DemoContentReport:
    report = DemoContentReport()
    queryset = collectivites or Collectivite.objects.members().provisioned()
    communes = queryset.filter(kind=Collectivite.Kind.COMMUNE).select_related("epci")
    for position, collectivite in enumerate(communes.order_by("name")):
        with transaction.atomic():
            # Neighbouring communes in three different looks, so the themes show.
            ThemeSettings.objects.get_or_create(
                site_id=collectivite.site_id,
                defaults={"theme": THEME_ROTATION[position % len(THEME_ROTATION)]},
            )
            if _fill(collectivite):
                report.filled += 1
            else:
                report.skipped += 1
    return report


@cache
def demo_content() -> dict:
    return tomllib.loads(CONTENT.read_text(encoding="utf-8"))


def _page(collectivite, key):
    record = ProvisionedPage.objects.filter(collectivite=collectivite, key=key).first()
    return record.page.specific if record and record.page_id else None


def _fill(c: Collectivite) -> bool:
    home = c.home_page.specific if c.home_page_id else None
    news_index = _page(c, "actualites")
    if home is None or news_index is None:
        return False
    if NewsPage.objects.child_of(news_index).exists():
        return False
    data = demo_content()
    context = _context(c, data["moments"])
    context["photo"] = _photo(c, resolve(data["photo"], context), context["seed"])
    context["photo_id"] = context["photo"].pk
    gaps = _gaps(data.get("gaps", {}), context["seed"])
    _fill_home(
        c, home, resolve(data["home"], context) | ({"photo": None} if "photo" in gaps else {})
    )
    edited = [home]
    for key, spec in data["pages"].items():
        page = _page(c, key)
        edited.append(page)
        spec = {name: value for name, value in spec.items() if name not in gaps}
        model = apps.get_model(spec.pop("type")) if "type" in spec else None
        if page is not None and (model is None or isinstance(page, model)):
            _fill_page(page, resolve(spec, context))
    for key, spec in data["documents"].items():
        context[key] = _document(c, resolve(spec, context))
    if "minutes" in gaps:
        context["minutes"] = None
    added = []
    for parent_key, specs in data["children"].items():
        added += _add_children(_page(c, parent_key), specs, context)
    if "news" in gaps:
        for page in added:
            if isinstance(page, NewsPage):
                page.date -= datetime.timedelta(days=data["gaps"]["news"]["days"])
                page.save(update_fields=["date"])
    added += _plant(c, data.get("planted"), context)
    Banner.objects.create(**resolve(data["banner"], context), site_id=c.site_id, live=True)

    rewrite_revisions(edited)
    add_revisions(added)
    enqueue_indexing([p.pk for p in added])
    return True


# --- Reading the data ----------------------------------------------------------------------


def _gaps(gaps, seed) -> set:
    """What this commune leaves undone ([gaps] in content.toml), so that the quality
    dashboard (docs/quality.md) ranks sites that differ, as real ones do."""
    return {name for name, rule in gaps.items() if seed % rule["every"] == rule["at"]}


def _context(c: Collectivite, moments) -> dict:
    seed = int(c.code[-3:]) if c.code[-3:].isdigit() else 7
    context = {
        "nom": c.name,
        "slug": c.slug,
        "hostname": c.hostname,
        "seed": seed,
        "telephone": f"05 53 {seed % 90 + 10:02d} {seed % 70 + 20:02d} 00",
        "latitude": c.latitude,
        "longitude": c.longitude,
        # In Paris time: « at 18:30 » is 18 h 30 on the mairie's clock, not in UTC.
        "now": timezone.localtime(timezone.now(), PARIS),
        "today": timezone.localdate(timezone=PARIS),
    }
    # The demo is French whatever language is active (a test's, a command's): not strftime's
    # %B either, which follows the C locale, in English.
    with translation.override("fr"):
        for name, spec in moments.items():
            context[name] = _moment(spec, context)
            if isinstance(context[name], datetime.datetime):
                context[f"{name}_heure"] = time_label(context[name].time())
        context["mois"] = date_format(context["today"], "F Y")
    return context


def _moment(spec, context):
    value = context[spec["from"]] + datetime.timedelta(
        days=spec.get("days", 0), hours=spec.get("hours", 0)
    )
    if "at" in spec:
        at = spec["at"]
        value = value.replace(hour=at.hour, minute=at.minute, second=at.second, microsecond=0)
    if "month" in spec:
        value = value.replace(
            year=value.year + spec.get("years", 0), month=spec["month"], day=spec["day"]
        )
    return value


def resolve(value, context):
    """Placeholders and moments replaced, recursively. A string that is one placeholder
    alone becomes the value itself (a date, a page, a document), not its text."""
    if isinstance(value, str):
        alone = ONE_PLACEHOLDER.match(value)
        if alone and alone.group(1) in context:
            return context[alone.group(1)]
        return value.format_map(context)
    if isinstance(value, list):
        return [resolve(v, context) for v in value]
    if isinstance(value, dict):
        if "from" in value and set(value) <= MOMENT_KEYS:
            return _moment(value, context)
        return {k: resolve(v, context) for k, v in value.items()}
    return value


# --- Writing it ----------------------------------------------------------------------------


def _photo(c, spec, seed) -> SiteImage:
    name = spec.pop("file")
    photo = SiteImage(
        file=ImageFile(io.BytesIO(landscape_jpeg(seed)), name=name),
        collection_id=c.collection_id,
        **spec,
    )
    photo.save()
    return photo


def _document(c, spec) -> SiteDocument:
    document = SiteDocument(title=spec["title"], collection_id=c.collection_id)
    document.file.save(spec["file"], ContentFile(minimal_pdf(spec["lines"])), save=False)
    document.save()
    return document


def _plant(c, planted, context) -> list:
    """What the link checker must find on one commune (content.toml, [planted])."""
    if not planted or c.slug != planted["commune"]:
        return []
    context["planted_image"] = _photo(c, resolve(planted["image"], context), context["seed"])
    added = []
    for parent_key, specs in planted["children"].items():
        added += _add_children(_page(c, parent_key), specs, context)
    return added


def _fill_home(c, home, spec):
    linked = [_page(c, key) for key in spec["quick_links"]]
    home.photo = spec["photo"]
    home.quick_links = [
        {"type": "link", "value": {"page": page.pk, "label": ""}} for page in linked if page
    ]
    home.save(update_fields=["photo", "quick_links"])


def _split_rows(model, values):
    """A page's field values, and its child rows by relation."""
    relations = {rel.get_accessor_name(): rel for rel in get_all_child_relations(model)}
    fields = {k: v for k, v in values.items() if k not in relations}
    rows = [(relations[k], v) for k, v in values.items() if k in relations]
    return fields, rows


def _create_rows(page, rows):
    for relation, items in rows:
        relation.related_model.objects.bulk_create(
            relation.related_model(**{relation.field.attname: page.pk, "sort_order": i, **item})
            for i, item in enumerate(items)
        )


def _fill_page(page, values):
    fields, rows = _split_rows(type(page), values)
    if fields:
        for name, value in fields.items():
            setattr(page, name, value)
        page.save(update_fields=list(fields))
    _create_rows(page, rows)


def _add_children(parent, specs, context) -> list:
    built = []
    for spec in specs:
        spec = dict(spec)
        key = spec.pop("key", None)
        model = apps.get_model(spec.pop("type"))
        fields, rows = _split_rows(model, resolve(spec, context))
        built.append((key, model(**fields), rows))
    pages = insert_subtree(parent, [Node(page) for _key, page, _rows in built])
    for (key, _built, rows), page in zip(built, pages, strict=True):
        _create_rows(page, rows)
        if key:
            context[key] = page
    return pages
