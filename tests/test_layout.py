"""The README's Layout section matches the package: every folder and root module has its line,
and every module a line names exists where the line says."""

from __future__ import annotations

import re
from fnmatch import fnmatch
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "explorer"
# The fake is a tool of its own, described module by module in its package docstring.
NAMED_AS_A_WHOLE = {"fake_s2"}


def layout() -> dict[str, str]:
    """Each entry of the ``explorer/`` block, folder or module, and the text of its lines."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```\n", 2)[1]
    entries: dict[str, str] = {}
    name = None
    for line in block.splitlines():
        entry = re.match(r"  (\S+)\s", line)
        if entry:
            name = entry.group(1).rstrip("/")
            entries[name] = line
        elif line.startswith("    ") and name is not None:
            entries[name] += " " + line.strip()
        else:
            name = None
    return entries


def package_entries() -> dict[str, list[str]]:
    """Root modules (with no modules of their own) and folders with their modules."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.iterdir()):
        if path.suffix == ".py":
            found[path.name] = []
        elif (path / "__init__.py").is_file():
            found[path.name] = sorted(p.name for p in path.glob("*.py") if p.name != "__init__.py")
    return found


def named_modules(text: str) -> list[str]:
    return re.findall(r"\b[\w*]+\.py\b", text)


def test_every_folder_and_root_module_has_its_line_and_no_line_is_stale():
    assert sorted(layout()) == sorted(package_entries())


def test_a_folder_line_names_each_of_its_modules_and_only_those():
    lines = layout()
    for folder, modules in package_entries().items():
        if not modules or folder in NAMED_AS_A_WHOLE:
            continue
        named = [n for n in named_modules(lines[folder]) if n != "__init__.py"]
        unnamed = [m for m in modules if not any(fnmatch(m, n) for n in named)]
        assert unnamed == [], f"{folder}/ line does not name {unnamed}"
        missing = [n for n in named if not any(fnmatch(m, n) for m in modules)]
        assert missing == [], f"{folder}/ line names {missing}, which {folder}/ does not hold"


def test_the_readme_names_no_module_that_is_gone():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"\b(?:explorer|bench|data|tests)/[\w/]*\.py\b", readme))
    gone = [p for p in sorted(paths) if not Path(ROOT, p).is_file()]
    assert gone == []
    for old in ("pipeline", "render_maps", "cli_list", "explorer.cli import make_client"):
        assert old not in readme, old
