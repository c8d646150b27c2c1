"""Blueprints: declarative TOML files that describe a collectivité's site.

A blueprint names the page tree (types, titles, slugs, initial content with placeholders
from the registry), the groups and permissions to create, and the moderation workflow.
Loading validates all of it, so a broken blueprint fails before anything is written.
"""

import hashlib
import string
import tomllib
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from wagtail.models import Page

from sitefactory.services.blueprint_specs import (
    Blueprint,
    BlueprintError,
    GroupSpec,
    PageSpec,
    SnippetWorkflowSpec,
    WorkflowSpec,
)

PLACEHOLDERS = {
    "nom",
    "slug",
    "code",
    "codes_postaux",
    "population",
    "epci",
    "pays",
    "hostname",
    "type",
}
PAGE_PERMISSIONS = {
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
}
GROUP_KEYS = {"name", "page_permissions", "collection_permissions", "permissions", "collection"}


def _check_placeholders(value, where):
    if isinstance(value, str):
        for _text, name, _spec, _conv in string.Formatter().parse(value):
            if name is not None and name not in PLACEHOLDERS:
                raise BlueprintError(
                    f"{where}: placeholder inconnu {{{name}}} "
                    f"(disponibles : {', '.join(sorted(PLACEHOLDERS))})"
                )
    elif isinstance(value, list):
        for item in value:
            _check_placeholders(item, where)
    elif isinstance(value, dict):
        for item in value.values():
            _check_placeholders(item, where)


def _page_model(label, where):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise BlueprintError(f"{where}: type de page inconnu « {label} »") from exc
    if not issubclass(model, Page):
        raise BlueprintError(f"{where}: « {label} » n'est pas un type de page")
    return model


def _check_permission(label, where):
    try:
        app_label, codename = label.split(".", 1)
    except ValueError as exc:
        raise BlueprintError(
            f"{where}: permission « {label} » attendue sous la forme app.code"
        ) from exc
    if not Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists():
        raise BlueprintError(f"{where}: permission inconnue « {label} »")


def _page_spec(raw, where, default_key=None):
    key = raw.get("key", default_key)
    if not key:
        raise BlueprintError(f"{where}: chaque page doit avoir une clé (key)")
    if "title" not in raw or "type" not in raw:
        raise BlueprintError(f"{where}: « title » et « type » sont obligatoires")
    model = _page_model(raw["type"], where)
    values = {
        k: v
        for k, v in raw.items()
        if k not in {"key", "type", "title", "slug", "required", "parent"}
    }
    _check_fields(model, values, raw["type"], where)
    _check_placeholders(raw["title"], where)
    _check_placeholders(values, where)
    return PageSpec(
        key=key,
        model=model,
        title=raw["title"],
        slug=raw.get("slug", ""),
        parent=raw.get("parent", "home"),
        required=bool(raw.get("required", False)),
        values=values,
    )


def _check_fields(model, values, type_label, where):
    field_names = {f.name for f in model._meta.concrete_fields}
    inline_names = {rel.get_accessor_name(): rel for rel in get_all_child_relations(model)}
    for name, value in values.items():
        if name in inline_names:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise BlueprintError(f"{where}: « {name} » doit être une liste de tables")
            related = inline_names[name].related_model
            allowed = {f.name for f in related._meta.concrete_fields}
            for row in value:
                bad = set(row) - allowed
                if bad:
                    raise BlueprintError(f"{where}: « {name} » : champs inconnus {sorted(bad)}")
        elif name not in field_names:
            raise BlueprintError(f"{where}: le type {type_label} n'a pas de champ « {name} »")


def parse_blueprint(path: Path) -> Blueprint:
    data = path.read_bytes()
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BlueprintError(f"{path.name}: fichier TOML illisible ({exc})") from exc
    where = path.name
    for required in ("name", "kinds", "home"):
        if required not in raw:
            raise BlueprintError(f"{where}: « {required} » est obligatoire")
    home, pages = _parse_pages(raw, where)
    groups = tuple(
        _group_spec(key, graw, f"{where} [groups.{key}]")
        for key, graw in raw.get("groups", {}).items()
    )
    workflow = _workflow_spec(raw["workflow"], f"{where} [workflow]") if "workflow" in raw else None
    snippet_workflows = tuple(
        _snippet_workflow_spec(
            key, wraw, {g.key for g in groups}, f"{where} [snippet_workflows.{key}]"
        )
        for key, wraw in raw.get("snippet_workflows", {}).items()
    )
    parent = raw.get("parent", "root")
    if parent != "root" and not parent.startswith("pays:"):
        raise BlueprintError(f"{where}: parent doit valoir « root » ou « pays:<clé> »")
    return Blueprint(
        name=raw["name"],
        label=raw.get("label", raw["name"]),
        kinds=tuple(raw["kinds"]),
        parent=parent,
        home=home,
        pages=pages,
        groups=groups,
        workflow=workflow,
        digest=hashlib.sha256(data).hexdigest()[:32],
        path=path,
        snippet_workflows=snippet_workflows,
    )


def _parse_pages(raw, where):
    """The home page and the pages below it, checked as a tree."""
    home = _page_spec(raw["home"], f"{where} [home]", default_key="home")
    pages = tuple(
        _page_spec(p, f"{where} [[pages]] n°{i + 1}") for i, p in enumerate(raw.get("pages", []))
    )
    keys = ["home"] + [p.key for p in pages]
    if len(keys) != len(set(keys)):
        raise BlueprintError(f"{where}: deux pages ont la même clé")
    _check_parents_and_slugs(pages, keys, where)
    _check_page_types(home, pages, where)
    if raw.get("parent", "root") == "root" and Page not in home.model.allowed_parent_page_models():
        raise BlueprintError(f"{where}: « {home.model.__name__} » ne peut pas être à la racine")
    return home, pages


def _check_parents_and_slugs(pages, keys, where):
    siblings = {}
    for page in pages:
        if page.parent not in keys or page.parent == page.key:
            raise BlueprintError(f"{where}: page « {page.key} » : parent « {page.parent} » inconnu")
        slug = page.slug or slugify(page.title)
        if slug in siblings.setdefault(page.parent, set()):
            raise BlueprintError(f"{where}: deux pages sœurs ont le slug « {slug} »")
        siblings[page.parent].add(slug)


def _check_page_types(home, pages, where):
    # The bulk insert bypasses Wagtail's parent/subpage rules: check them here.
    models_by_key = {"home": home.model, **{p.key: p.model for p in pages}}
    for page in pages:
        parent_model = models_by_key[page.parent]
        if page.model not in parent_model.allowed_subpage_models() or (
            parent_model not in page.model.allowed_parent_page_models()
        ):
            raise BlueprintError(
                f"{where}: une page « {page.model._meta.verbose_name} » ({page.key}) ne peut "
                f"pas être placée sous « {parent_model._meta.verbose_name} »"
            )


def _group_spec(key, graw, gwhere):
    unknown = set(graw) - GROUP_KEYS
    if unknown:
        raise BlueprintError(f"{gwhere}: clés inconnues {sorted(unknown)}")
    if "name" not in graw:
        raise BlueprintError(f"{gwhere}: « name » est obligatoire")
    _check_placeholders(graw["name"], gwhere)
    bad = set(graw.get("page_permissions", [])) - PAGE_PERMISSIONS
    if bad:
        raise BlueprintError(f"{gwhere}: permissions de page inconnues {sorted(bad)}")
    for label in graw.get("collection_permissions", []) + graw.get("permissions", []):
        _check_permission(label, gwhere)
    if graw.get("collection", "own") not in ("own", "root"):
        raise BlueprintError(f"{gwhere}: collection doit valoir « own » ou « root »")
    return GroupSpec(
        key=key,
        name=graw["name"],
        page_permissions=tuple(graw.get("page_permissions", [])),
        collection_permissions=tuple(graw.get("collection_permissions", [])),
        permissions=tuple(graw.get("permissions", [])),
        collection=graw.get("collection", "own"),
    )


def _workflow_spec(wraw, wwhere):
    for required in ("name", "task", "approvers"):
        if required not in wraw:
            raise BlueprintError(f"{wwhere}: « {required} » est obligatoire")
    _check_placeholders([wraw["name"], wraw["task"]], wwhere)
    for label in wraw.get("snippets", []):
        try:
            apps.get_model(label)
        except (LookupError, ValueError) as exc:
            raise BlueprintError(f"{wwhere}: modèle inconnu « {label} »") from exc
    return WorkflowSpec(
        wraw["name"],
        wraw["task"],
        tuple(wraw["approvers"]),
        tuple(wraw.get("snippets", [])),
    )


def _snippet_workflow_spec(key, wraw, group_keys, wwhere):
    """A workflow of snippets alone, approved by some of the blueprint's own groups."""
    for required in ("name", "task", "approvers", "snippets"):
        if required not in wraw:
            raise BlueprintError(f"{wwhere}: « {required} » est obligatoire")
    _check_placeholders([wraw["name"], wraw["task"]], wwhere)
    unknown = set(wraw["approvers"]) - group_keys
    if unknown or not wraw["approvers"]:
        raise BlueprintError(f"{wwhere}: valideurs inconnus {sorted(unknown)}")
    for label in wraw["snippets"]:
        try:
            apps.get_model(label)
        except (LookupError, ValueError) as exc:
            raise BlueprintError(f"{wwhere}: modèle inconnu « {label} »") from exc
    return SnippetWorkflowSpec(
        key, wraw["name"], wraw["task"], tuple(wraw["approvers"]), tuple(wraw["snippets"])
    )


def blueprints_dir():
    return Path(settings.BASTIDE_BLUEPRINTS_DIR)


@cache
def _load(path: Path, mtime: float) -> Blueprint:
    return parse_blueprint(path)


def load_blueprint(name: str) -> Blueprint:
    path = blueprints_dir() / f"{name}.toml"
    if not path.is_file():
        names = ", ".join(available_blueprints()) or "aucun"
        raise BlueprintError(f"Modèle de site inconnu « {name} » (disponibles : {names})")
    blueprint = _load(path, path.stat().st_mtime)
    if blueprint.name != name:
        raise BlueprintError(f"{path.name}: name = « {blueprint.name} » au lieu de « {name} »")
    return blueprint


def available_blueprints():
    return sorted(p.stem for p in blueprints_dir().glob("*.toml"))


def blueprint_for(collectivite, override: str | None = None) -> Blueprint:
    name = override or collectivite.blueprint
    if name:
        return load_blueprint(name)
    for candidate in available_blueprints():
        blueprint = load_blueprint(candidate)
        if collectivite.kind in blueprint.kinds:
            return blueprint
    raise BlueprintError(f"Aucun modèle de site pour le type « {collectivite.kind} »")


def placeholders(collectivite, pays_name: str) -> dict:
    """The values a blueprint may use, from the registry."""
    if collectivite.epci_id:
        epci = collectivite.epci.name
    else:
        epci = collectivite.outside_epci_name or pays_name
    population = collectivite.population
    return {
        "nom": collectivite.name,
        "slug": collectivite.slug,
        "code": collectivite.code,
        "codes_postaux": ", ".join(collectivite.postcodes or []),
        "population": f"{population:,}".replace(",", "\u202f") if population else "—",
        "epci": epci,
        "pays": pays_name,
        "hostname": hostname_for(collectivite),
        "type": collectivite.get_kind_display(),
    }


def hostname_for(collectivite) -> str:
    domain = settings.PAYS_DOMAIN
    return domain if collectivite.is_pays else f"{collectivite.slug}.{domain}"
