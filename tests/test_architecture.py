"""The architecture, checked from the source: layers, no cycle, short files, template tags,
and two rules of the admin anatomy (signals connected in ready(), hooks files that only
register).

Read with `ast` and plain text, without importing anything: a violation is named by file,
line and what it imports, whether or not the module would import cleanly.

What counts as a dependency of a module on an app:
- an `import` or `from … import` of it, wherever it sits (a lazy import inside a function is
  still one);
- a model named by string: `ForeignKey("app.Model")` and the other relations,
  `subpage_types` / `parent_page_types`, `apps.get_model("app.Model")`;
- a template of another app named by string ("directory/services_page.html").
Templates: a `{% load %}` of another app's tag library, an `{% extends %}` or `{% include %}`
of another app's template.

Tests (`<app>/tests/`, `tests/`, `conftest.py`) are outside the layers: they build what they
test with the whole stack (the factory provisions the sites a commune test visits), so they
may import any app. Migrations are generated and left out. `bench/` is not app code.

LAYERS is the table of docs/architecture.md; a test keeps the two the same.
"""

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"

# Lowest first. A module imports only from its own app, from its layer, or from a lower one.
LAYERS = [
    ("Foundation", ("serving", "parsing")),
    ("Presentation", ("themes",)),
    ("Domain", ("communes", "accounts", "recyclebin")),
    ("Sections", ("directory", "newcomers", "occitan", "photos", "alerts")),
    ("Search", ("search",)),
    ("Provisioning and operations", ("sitefactory", "health", "backups", "quality")),
    ("Configuration", ("config",)),
]
# Layers whose apps do not import each other: the foundation imports nothing of ours, and
# a section never reaches into another.
ISOLATED_LAYERS = {"Foundation", "Sections"}
# config/settings/* import no app code (settings name classes by dotted strings instead).
SETTINGS_PACKAGE = "config.settings"

NOT_APPS = {"tests", "bench", "docs", "locale", "bin"}
MAX_LINES = 400
# App code over MAX_LINES, and why. docs/architecture.md lists the same files.
# {path: why it is longer}; empty today.
LONG_FILES: dict[str, str] = {}

RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField", "ParentalKey"}
RELATIONS |= {"ParentalManyToManyField"}
PAGE_RULES = {"subpage_types", "parent_page_types"}

LAYER_OF = {app: index for index, (_name, apps) in enumerate(LAYERS) for app in apps}
LAYER_NAME = {app: name for name, apps in LAYERS for app in apps}
APPS = set(LAYER_OF)


@dataclass(frozen=True)
class Dependency:
    path: str  # relative to the repository
    line: int
    source_app: str
    target_app: str
    module: str  # the module depended on (for a model named by string: its app)
    what: str  # the import as written, or the string that names a model

    def __str__(self):
        return f"{self.path}:{self.line}: {self.what}"


def app_directories():
    """Top-level Python packages: the apps (and plain packages such as parsing/)."""
    return sorted(
        path.name
        for path in ROOT.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in NOT_APPS
    )


OURS = APPS | set(app_directories())


def is_test_code(relative):
    parts = relative.parts
    return "tests" in parts or parts[-1] == "conftest.py" or parts[-1].startswith("test_")


def app_python_files():
    """(relative path, app) of every module of app code: no tests, no migrations."""
    for app in sorted(OURS):
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or is_test_code(relative):
                continue
            yield relative, app


def module_name(relative):
    parts = list(Path(relative).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _model_label_app(value):
    """The app of "app_label.Model" when the label is one of ours (Wagtail's are not)."""
    if isinstance(value, str) and value.count(".") == 1:
        label = value.split(".")[0]
        if label in OURS:
            return label
    return None


def _call_name(node):
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def _absolute(node, package):
    """The module a `from … import` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def dependencies(relative, app):
    """Every dependency of one module on a package of ours (its own app included)."""
    source = (ROOT / relative).read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(relative))
    module = module_name(relative)
    package = module if relative.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def add(node, target, what):
        if target.split(".")[0] in OURS:
            found.append(
                Dependency(str(relative), node.lineno, app, target.split(".")[0], target, what)
            )

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node, alias.name, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            names = ", ".join(alias.name for alias in node.names)
            written = "." * node.level + (node.module or "")
            add(node, _absolute(node, package), f"from {written} import {names}")
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name, value = _call_name(node), node.args[0].value
            if name in RELATIONS:
                target = _model_label_app(value)
            elif name == "get_model":
                target = _model_label_app(value) if len(node.args) == 1 else None
                if len(node.args) > 1 and value in OURS:
                    target = value
            else:
                target = None
            if target:
                add(node, target, f"{name}({value!r})")
        elif isinstance(node, ast.Constant) and node.value in template_owners():
            add(node, template_owners()[node.value], f"template {node.value!r}")
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.List | ast.Tuple):
            rules = sorted({t.id for t in node.targets if isinstance(t, ast.Name)} & PAGE_RULES)
            for element in node.value.elts if rules else ():
                if isinstance(element, ast.Constant):
                    target = _model_label_app(element.value)
                    if target:
                        add(element, target, f"{rules[0]} = [… {element.value!r} …]")
    return found


@pytest.fixture(scope="module")
def all_dependencies():
    return [dep for relative, app in app_python_files() for dep in dependencies(relative, app)]


def layer_violation(dep):
    """Why this dependency breaks the layers, or None."""
    if module_name(dep.path).startswith(SETTINGS_PACKAGE):
        if dep.module.startswith(SETTINGS_PACKAGE):
            return None
        return "config/settings import no app code (name it by a dotted string instead)"
    if dep.target_app == dep.source_app:
        return None
    if dep.target_app not in LAYER_OF or dep.source_app not in LAYER_OF:
        return "an app in no layer (add it to LAYERS and to docs/architecture.md)"
    source, target = LAYER_OF[dep.source_app], LAYER_OF[dep.target_app]
    if target > source:
        return (
            f"{dep.source_app} ({LAYER_NAME[dep.source_app]}) may not depend on "
            f"{dep.target_app} ({LAYER_NAME[dep.target_app]}, a higher layer)"
        )
    if target == source and LAYER_NAME[dep.source_app] in ISOLATED_LAYERS:
        return (
            f"{dep.source_app} and {dep.target_app}: apps of the "
            f"{LAYER_NAME[dep.source_app]} layer do not import each other"
        )
    return None


def test_every_app_has_a_layer():
    missing = sorted(set(app_directories()) - APPS)
    assert missing == [], f"apps without a layer in LAYERS (and in docs/architecture.md): {missing}"


def test_imports_go_down_the_layers(all_dependencies):
    violations = []
    for dep in all_dependencies:
        reason = layer_violation(dep)
        if reason:
            violations.append(f"{dep}\n    -> {reason}")
    assert violations == [], "\n" + "\n".join(violations)


def _cycles(edges):
    """Strongly connected components of more than one app (Tarjan)."""
    graph = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_no_cycle_between_apps(all_dependencies):
    by_edge = {}
    for dep in [*all_dependencies, *template_dependencies()]:
        if dep.source_app != dep.target_app:
            by_edge.setdefault((dep.source_app, dep.target_app), []).append(dep)
    report = []
    for component in _cycles(by_edge):
        arcs = sorted(arc for arc in by_edge if arc[0] in component and arc[1] in component)
        # The arcs to cut: those that do not go down the layers.
        upward = [
            (a, b) for a, b in arcs if LAYER_OF.get(b, len(LAYERS)) >= LAYER_OF.get(a, 0)
        ] or arcs
        report.append(f"cycle between {', '.join(component)}; arcs: {arcs}; to cut:")
        for source, target in upward:
            report.append(f"  {source} -> {target}")
            report += [f"    {dep}" for dep in by_edge[(source, target)]]
    assert report == [], "\n" + "\n".join(report)


def test_no_app_module_is_over_400_lines_unless_the_doc_says_why():
    long = {}
    for relative, _app in app_python_files():
        lines = len((ROOT / relative).read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            long[str(relative)] = lines
    unexplained = [
        f"{path}: {lines} lines" for path, lines in sorted(long.items()) if path not in LONG_FILES
    ]
    assert unexplained == [], (
        f"\nover {MAX_LINES} lines: split along its seams, or add it with a reason to "
        "LONG_FILES and to « Files over 400 lines » in docs/architecture.md:\n"
        + "\n".join(unexplained)
    )
    stale = sorted(set(LONG_FILES) - set(long))
    assert stale == [], f"in LONG_FILES but no longer over {MAX_LINES} lines: {stale}"


# -- Templates ------------------------------------------------------------------------------

LOAD = re.compile(r"{%\s*load\s+(.*?)\s*%}")
REFERENCE = re.compile(r"""{%\s*(extends|include)\s+["']([^"']+)["']""")


def tag_libraries():
    """Our tag libraries: {library name: app}."""
    libraries = {}
    for app in OURS:
        for path in (ROOT / app).glob("templatetags/*.py"):
            if path.stem != "__init__":
                libraries[path.stem] = app
    return libraries


def template_files():
    for app in sorted(OURS):
        directory = ROOT / app / "templates"
        if directory.is_dir():
            for path in sorted(directory.rglob("*.html")) + sorted(directory.rglob("*.txt")):
                yield path, app, path.relative_to(directory).as_posix()


@functools.cache
def template_owners():
    """{template name: app} for every template of ours."""
    return {name: app for _path, app, name in template_files()}


def template_dependencies():
    libraries, owners = tag_libraries(), template_owners()
    for path, app, _name in template_files():
        relative = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in LOAD.finditer(line):
                words = match.group(1).split()
                if "from" in words:  # {% load name other from library %}
                    words = words[words.index("from") + 1 :]
                for library in words:
                    if library in libraries:
                        target = libraries[library]
                        module = f"{target}.templatetags.{library}"
                        what = f"{{% load {library} %}}"
                        yield Dependency(relative, number, app, target, module, what)
            for match in REFERENCE.finditer(line):
                tag, name = match.groups()
                target = owners.get(name)
                if target:
                    what = f'{{% {tag} "{name}" %}}'
                    yield Dependency(relative, number, app, target, target, what)


def test_templates_use_tags_and_templates_of_their_own_layer_or_lower():
    violations = []
    for dep in template_dependencies():
        reason = layer_violation(dep)
        if reason:
            violations.append(f"{dep}\n    -> {reason}")
    assert violations == [], "\n" + "\n".join(violations)


def test_the_template_scan_sees_our_tag_libraries():
    """Guards the test above against a scan that silently finds nothing."""
    assert len(tag_libraries()) >= 3
    found = list(template_dependencies())
    assert any(dep.what.startswith("{% load") for dep in found)
    assert any(dep.what.startswith("{% extends") for dep in found)


# -- Admin anatomy (docs/admin-anatomy.md) ---------------------------------------------------


def _module_level_calls(tree):
    """Calls made when the module is imported: at module level, outside any function."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    pending = list(ast.iter_child_nodes(tree))
    while pending:
        node = pending.pop()
        if isinstance(node, functions):
            pending.extend(getattr(node, "decorator_list", ()))  # run at import
            continue
        if isinstance(node, ast.Call):
            yield node
        pending.extend(ast.iter_child_nodes(node))


def test_signal_handlers_are_connected_in_ready_not_at_import():
    found = []
    for relative, _app in app_python_files():
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        for call in _module_level_calls(tree):
            if _call_name(call) in ("connect", "receiver"):
                found.append(f"{relative}:{call.lineno}: {ast.unparse(call)[:90]}")
    assert found == [], "\nconnect signal handlers from AppConfig.ready():\n" + "\n".join(
        sorted(found)
    )


def test_wagtail_hooks_only_register():
    """Viewsets, views, forms and bulk actions have their own modules; the hooks file
    registers them."""
    found = []
    for relative, _app in app_python_files():
        if relative.name != "wagtail_hooks.py":
            continue
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found.append(f"{relative}:{node.lineno}: class {node.name}")
    assert found == [], "\nmove these classes out of wagtail_hooks.py:\n" + "\n".join(found)


# -- The doc mirrors the test ---------------------------------------------------------------


def _doc_section(title):
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"docs/architecture.md has no « ## {title} » section"
    return match.group(1)


def test_the_layer_table_of_the_doc_is_the_one_enforced():
    rows = {}
    for line in _doc_section("Layers").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            rows[cells[1]] = tuple(sorted(re.findall(r"`([a-z_]+)/`", cells[2])))
    expected = {name: tuple(sorted(apps)) for name, apps in LAYERS}
    assert rows == expected


def test_the_long_files_of_the_doc_are_the_ones_allowed():
    listed = set(re.findall(r"^- `([^`]+\.py)`", _doc_section("Files over 400 lines"), re.M))
    assert listed == set(LONG_FILES)


def test_the_dependency_scan_finds_what_it_should(all_dependencies):
    """Guards the tests above against a scan that silently finds nothing."""
    edges = {(dep.source_app, dep.target_app) for dep in all_dependencies}
    assert ("sitefactory", "communes") in edges
    assert not any(dep.module.startswith("wagtail") for dep in all_dependencies)
    assert any(dep.what.startswith("ForeignKey(") for dep in all_dependencies)


def test_every_app_with_tests_is_in_the_suites_paths():
    """pytest collects only `testpaths`: an app left out would have its tests never run, and
    nothing would say so."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    paths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {folder.parent.name for folder in ROOT.glob("*/tests") if folder.is_dir()}
    assert with_tests - paths == set()
    assert "tests" in paths
