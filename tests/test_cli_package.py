"""The CLI is a package without an import circle, and only the CLI's own entry points import it."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from explorer.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "explorer" / "cli"


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, whether at module level) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found += [(name, id(node) in top) for name in [node.module, *names]]
    return found


def _cli_module(path: Path) -> str:
    return "explorer.cli." + path.stem


def test_cli_modules_import_no_importlib_and_nothing_inside_functions():
    for path in CLI.glob("*.py"):
        for name, top in _imports(path):
            assert not name.startswith("importlib"), path.name
            assert top, f"{path.name} imports {name} inside a function"


def test_cli_modules_form_no_import_circle_and_commands_share_only_common():
    modules = {_cli_module(p) for p in CLI.glob("*.py")} - {"explorer.cli.__init__"}
    graph = nx.DiGraph()
    for path in CLI.glob("*.py"):
        for name, _ in _imports(path):
            if name in modules:
                graph.add_edge(_cli_module(path), name)
    assert list(nx.simple_cycles(graph)) == []
    commands = modules - {"explorer.cli.main", "explorer.cli.common"}
    for command in commands:
        used = set(graph.successors(command)) if command in graph else set()
        # survey and library modes are ways of running explore, so explore hands them on
        allowed = {"explorer.cli.common"} | (
            {"explorer.cli.survey", "explorer.cli.library"}
            if command == "explorer.cli.explore" else set())
        assert used <= allowed, command
    assert commands <= set(graph.successors("explorer.cli.main")) | {"explorer.cli.survey"}


def test_nothing_outside_the_cli_imports_it_but_the_entry_point():
    outside = [p for p in (ROOT / "explorer").rglob("*.py") if CLI not in p.parents]
    outside += [ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]
    importers = {p.relative_to(ROOT).as_posix() for p in outside
                 for name, _ in _imports(p) if name.startswith("explorer.cli")}
    assert importers == {"explorer/__main__.py"}


def test_the_parser_has_every_command():
    sub = next(a for a in build_parser()._actions if a.dest == "==SUPPRESS==" and a.choices)
    assert set(sub.choices) == {"explore", "show", "list", "export", "watch", "cites",
                                "connect", "app", "inbox", "search", "library", "similar",
                                "import-s2ag"}
