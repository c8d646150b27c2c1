"""What a blueprint says once read and checked (sitefactory.services.blueprints): its pages,
groups and workflows, and a page rendered for one collectivité with its fingerprint."""

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify
from modelcluster.models import get_all_child_relations


class BlueprintError(Exception):
    pass


@dataclass(frozen=True)
class PageSpec:
    key: str
    model: type
    title: str
    slug: str = ""
    parent: str = "home"
    required: bool = False
    values: dict = field(default_factory=dict)  # other field values (intro, body, ...)

    def render(self, context):
        values = {k: fill(v, context) for k, v in self.values.items()}
        title = fill(self.title, context)
        return RenderedPage(
            key=self.key,
            model=self.model,
            parent=self.parent,
            required=self.required,
            title=title,
            slug=self.slug or slugify(title)[:255],
            values=values,
        )


@dataclass(frozen=True)
class RenderedPage:
    key: str
    model: type
    parent: str
    required: bool
    title: str
    slug: str
    values: dict

    @property
    def fingerprint(self):
        payload = [self.model._meta.label, self.title, self.slug, self.values]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]

    def build(self):
        # Deep copy: StreamField adds block ids to the dicts it is given, which would change
        # the fingerprint of this spec.
        values = {k: v for k, v in self.values.items() if k not in self.inlines}
        return self.model(title=self.title, slug=self.slug, **copy.deepcopy(values))

    @property
    def inlines(self):
        """Child objects (ParentalKey relations) to create with the page: {accessor: rows}."""
        names = {rel.get_accessor_name() for rel in get_all_child_relations(self.model)}
        return {k: v for k, v in self.values.items() if k in names}

    def inline_objects(self, page):
        objects = []
        for rel in get_all_child_relations(self.model):
            for order, row in enumerate(self.values.get(rel.get_accessor_name(), [])):
                obj = rel.related_model(**copy.deepcopy(row))
                setattr(obj, rel.field.attname, page.pk)
                if hasattr(obj, "sort_order"):
                    obj.sort_order = order
                objects.append(obj)
        return objects


@dataclass(frozen=True)
class GroupSpec:
    key: str
    name: str
    page_permissions: tuple = ()
    collection_permissions: tuple = ()  # "app_label.codename"
    permissions: tuple = ()  # "app_label.codename"
    collection: str = "own"  # "own" or "root"


@dataclass(frozen=True)
class WorkflowSpec:
    name: str
    task: str
    approvers: tuple  # "pays:<group key>" or "<own group key>"
    snippets: tuple = ()  # snippet models ("app.Model") whose changes go through it


@dataclass(frozen=True)
class SnippetWorkflowSpec:
    """A workflow of snippet models only (no page): its one approval task and the blueprint's
    own groups that approve."""

    key: str
    name: str
    task: str
    approvers: tuple  # own group keys
    snippets: tuple  # "app.Model"


@dataclass(frozen=True)
class Blueprint:
    name: str
    label: str
    kinds: tuple
    parent: str  # "root" or "pays:<page key>"
    home: PageSpec
    pages: tuple
    groups: tuple
    workflow: WorkflowSpec | None
    digest: str
    path: Path
    snippet_workflows: tuple = ()

    def page(self, key):
        return next(p for p in self.pages if p.key == key)


def fill(value, context):
    """Replace {placeholders} in strings, recursively in lists and dicts."""
    if isinstance(value, str):
        return value.format_map(context)
    if isinstance(value, list):
        return [fill(v, context) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, context) for k, v in value.items()}
    return value
