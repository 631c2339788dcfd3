"""A lower layer never imports a higher one (DESIGN.md, "Layers").

Every module of every layer is read with ``ast``: ``import x``, ``from x import y`` and
relative imports, at module level, inside functions and under ``if TYPE_CHECKING``, and
``importlib.import_module("x")`` / ``__import__("x")`` with a literal name. An import that
points to a higher layer fails the test with its file, line and both layers. A model's
string foreign key (``"training.TrainingSession"``) is not an import, so it passes: the
domain may point up where it must, its code may not.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A top-level package is in exactly one layer; feedback is not built yet.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("peertrain",)),
    ("programmes", ("programmes",)),
    ("trainers", ("trainers",)),
    ("sessions", ("sessions",)),
    ("feedback", ("feedback",)),
    ("portal", ("portal",)),
)
# The project's wiring names every app (settings, the URL map, Celery's app, the servers'
# entry points, the process launcher), so it may import any layer. Nothing else may.
WIRING = (
    "peertrain.settings",
    "peertrain.urls",
    "peertrain.celery",
    "peertrain.wsgi",
    "peertrain.asgi",
    "peertrain.launcher",
)
# Top-level folders of the checkout that hold no application code.
NOT_CODE = {"tests", "static", "templates", "var", "build", "dist"}

RANK = {package: rank for rank, (_, packages) in enumerate(LAYERS) for package in packages}
LAYER_NAME = {package: name for name, packages in LAYERS for package in packages}


@dataclass(frozen=True)
class UpwardImport:
    path: Path
    line: int
    module: str
    imported: str

    @property
    def from_layer(self) -> str:
        return LAYER_NAME[self.module.split(".")[0]]

    @property
    def to_layer(self) -> str:
        return LAYER_NAME[self.imported.split(".")[0]]

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.module} (layer {self.from_layer}) imports "
            f"{self.imported} (layer {self.to_layer}), a higher layer"
        )


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_wiring(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in WIRING)


def imported_names(tree: ast.AST, *, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every (line, dotted name) the module imports, wherever in the file it does so."""
    package = module if is_package else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.append((node.lineno, target))
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and _called_name(node.func) in {"import_module", "__import__"}
        ):
            names.append((node.lineno, node.args[0].value))
    return names


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def layered_modules(root: Path):
    for package in RANK:
        folder = root / package
        if folder.is_dir():
            yield from sorted(folder.rglob("*.py"))


def upward_imports(root: Path) -> list[UpwardImport]:
    found = []
    for path in layered_modules(root):
        module = module_name(root, path)
        if is_wiring(module):
            continue
        rank = RANK[module.split(".")[0]]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, imported in imported_names(
            tree, module=module, is_package=path.name == "__init__.py"
        ):
            top = imported.split(".")[0]
            if top in RANK and RANK[top] > rank:
                found.append(UpwardImport(path.relative_to(root), line, module, imported))
    return found


def unlayered_packages(root: Path) -> list[str]:
    """Top-level Python packages that belong to no layer (a new app must choose one)."""
    return sorted(
        folder.name
        for folder in root.iterdir()
        if (folder / "__init__.py").is_file()
        and folder.name not in RANK
        and folder.name not in NOT_CODE
    )


# --- the rule, on this checkout ------------------------------------------------------------


def test_no_module_imports_a_higher_layer():
    upward = upward_imports(ROOT)
    assert not upward, "Upward imports (a lower layer must not import a higher one):\n" + (
        "\n".join(str(found) for found in upward)
    )


def test_every_top_level_package_belongs_to_a_layer():
    assert unlayered_packages(ROOT) == [], "Add each new top-level package to LAYERS here."


def test_every_layer_that_exists_is_read():
    read = {module_name(ROOT, path).split(".")[0] for path in layered_modules(ROOT)}
    assert {"peertrain", "programmes", "trainers", "sessions", "portal"} <= read


# --- the test's own reading, on a made-up checkout -------------------------------------------


def write(root: Path, relative: str, source: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.relative_to(root).parents:
        if parent != Path("."):
            (root / parent / "__init__.py").touch()
    path.write_text(source, encoding="utf-8")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    write(tmp_path, "peertrain/core/text.py", "import re\n")
    write(tmp_path, "programmes/models.py", "from peertrain.core import text\n")
    write(tmp_path, "sessions/services.py", "from programmes.models import Skill\n")
    write(tmp_path, "portal/home/views.py", "from sessions import services\n")
    return tmp_path


def test_downward_imports_pass(checkout):
    assert upward_imports(checkout) == []


def test_an_upward_import_inside_a_function_fails_naming_file_line_and_layers(checkout):
    write(
        checkout,
        "programmes/gaps.py",
        '"""Gaps."""\n\n\ndef upcoming():\n    from sessions.services import upcoming\n',
    )

    [upward] = upward_imports(checkout)

    assert (upward.path, upward.line) == (Path("programmes/gaps.py"), 5)
    assert (upward.from_layer, upward.to_layer) == ("programmes", "sessions")
    assert str(upward) == (
        "programmes/gaps.py:5: programmes.gaps (layer programmes) imports "
        "sessions.services (layer sessions), a higher layer"
    )


@pytest.mark.parametrize(
    "source",
    [
        "import portal.home.roles\n",
        "import portal.home.roles as roles\n",
        "from portal import home\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from trainers.models import X\n",
        "from importlib import import_module\nimport_module('sessions.services')\n",
        "import importlib\nimportlib.import_module('trainers.selectors')\n",
        "__import__('portal.demo')\n",
    ],
)
def test_every_way_of_importing_upward_fails(checkout, source):
    write(checkout, "peertrain/accounts/selectors.py", source)

    [upward] = upward_imports(checkout)

    assert upward.from_layer == "core"
    assert upward.to_layer in {"trainers", "sessions", "portal"}


def test_a_relative_import_is_read_as_the_module_it_names(checkout):
    write(checkout, "portal/home/roles.py", "from .views import home\nfrom ..demo import seed\n")
    write(checkout, "sessions/views/__init__.py", "from .. import services\n")

    assert upward_imports(checkout) == []


def test_a_string_foreign_key_to_a_higher_app_passes(checkout):
    write(
        checkout,
        "trainers/models.py",
        "from django.db import models\n\n\nclass StepCompletion(models.Model):\n"
        '    session = models.ForeignKey("training.TrainingSession", on_delete=models.CASCADE)\n',
    )

    assert upward_imports(checkout) == []


def test_the_project_wiring_may_import_any_layer_but_the_rest_of_the_core_may_not(checkout):
    write(checkout, "peertrain/urls.py", "from portal.home.views import home\n")
    write(checkout, "peertrain/settings/base.py", "import portal.home.context_processors\n")
    assert upward_imports(checkout) == []

    write(checkout, "peertrain/core/views.py", "from portal.home.views import home\n")
    [upward] = upward_imports(checkout)
    assert upward.path == Path("peertrain/core/views.py")


def test_a_new_top_level_package_outside_the_layers_is_named(checkout):
    write(checkout, "quizzes/models.py")
    write(checkout, "tests/test_x.py")

    assert unlayered_packages(checkout) == ["quizzes"]
