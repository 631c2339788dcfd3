"""Names in the sessions app say what they are (sessions/views/__init__.py, STYLE.md §1).

A training session is a ``training_session``: a bare ``session_…`` could be Django's
session, so no function, class, method or module-level name in ``sessions/`` starts with
one (leading underscores ignored), and no URL name of the ``training`` namespace does. Every
view routed there is ``<thing>_<page or action>_view`` and every ``…_view`` is routed.
"""

import ast
import inspect
from pathlib import Path

import pytest
from django.urls import URLPattern, get_resolver

ROOT = Path(__file__).resolve().parents[2]
BARE = "session_"


def defined_names(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, name) of every function, class and method anywhere in the module, and of every
    name assigned at module level."""
    names = [
        (node.lineno, node.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names += [(node.lineno, t.id) for t in targets if isinstance(t, ast.Name)]
    return names


def bare_session_names(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "sessions").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        found += [
            f"{path.relative_to(root)}:{line} {name}"
            for line, name in defined_names(tree)
            if name.lstrip("_").startswith(BARE)
        ]
    return found


def training_routes() -> list[URLPattern]:
    resolver = get_resolver().namespace_dict["training"][1]
    return [pattern for pattern in resolver.url_patterns if isinstance(pattern, URLPattern)]


def test_no_bare_session_name_is_defined_in_the_sessions_app():
    assert bare_session_names(ROOT) == [], "Say training_session_… (or name the thing)."


def test_no_training_url_name_is_a_bare_session_name():
    names = [pattern.name for pattern in training_routes()]
    assert names, "the training namespace has no routes"
    assert [name for name in names if name and name.startswith(BARE)] == []


def test_every_training_view_is_named_thing_action_view():
    callbacks = [_callback(pattern) for pattern in training_routes()]
    misnamed = [
        f"{view.__module__}.{view.__name__}"
        for view in callbacks
        if not view.__name__.endswith("_view") or view.__name__.startswith(BARE)
    ]
    assert misnamed == []


def test_every_view_function_in_sessions_views_is_routed():
    from sessions import views

    routed = {(view.__module__, view.__name__) for view in map(_callback, training_routes())}
    modules = sorted((ROOT / "sessions" / "views").glob("[!_]*.py"))
    defined = {
        (f"{views.__name__}.{path.stem}", node.name)
        for path in modules
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_view")
    }
    assert defined - routed == set(), "a view nobody can reach, or one named like a view"


def _callback(pattern: URLPattern):
    return inspect.unwrap(pattern.callback)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("def session_detail(pk): ...\n", "3 session_detail"),
        ("def _session_or_404(pk): ...\n", "3 _session_or_404"),
        ("class SessionForm:\n    def session_fields(self): ...\n", "4 session_fields"),
        ("session_cache = {}\n", "3 session_cache"),
        ("session_limit: int = 3\n", "3 session_limit"),
    ],
)
def test_a_bare_session_name_fails_naming_file_and_line(tmp_path: Path, source: str, found: str):
    (tmp_path / "sessions").mkdir()
    (tmp_path / "sessions" / "access.py").write_text("import os\n\n" + source)
    assert bare_session_names(tmp_path) == [f"sessions/access.py:{found}"]


def test_django_sessions_and_training_session_names_pass(tmp_path: Path):
    (tmp_path / "sessions").mkdir()
    (tmp_path / "sessions" / "views.py").write_text(
        "def training_session_detail_view(request):\n"
        "    session_key = request.session.session_key\n"
        "    return session_key\n"
        "MAX_SESSION_LENGTH = 12\n"
        "sessions_taught_by = None\n"
    )
    assert bare_session_names(tmp_path) == []
