"""Every third-party module the code imports is a declared dependency, and requirements.lock pins each of them."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported(*dirs: str) -> set[str]:
    modules = set()
    for path in (p for d in dirs for p in (ROOT / d).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    local = {"app", "tests", "scripts"}
    return {m for m in modules if m not in sys.stdlib_module_names and m not in local}


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    known = packages_distributions()
    return {m: {d.lower().replace("_", "-") for d in known.get(m, [m])} for m in modules}


def test_what_the_app_imports_is_declared_in_pyproject():
    declared = {_name(r) for r in PROJECT["dependencies"]}
    undeclared = {m: d for m, d in _distributions(_imported("app", "migrations")).items() if not d & declared}
    assert undeclared == {}


def test_what_the_tests_and_scripts_import_is_declared_too():
    declared = {_name(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]}
    undeclared = {m: d for m, d in _distributions(_imported("tests", "scripts")).items() if not d & declared}
    assert undeclared == {}


def test_the_lock_pins_every_declared_dependency_with_hashes():
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {m.group(1).lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", lock, re.M)}
    declared = {_name(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]}
    assert declared - pinned == set(), "renew requirements.lock (README: Dependencies)"
    hashed = re.findall(r"^[A-Za-z0-9_.\-\[\],]+==\S+ \\\n\s+--hash=sha256:[0-9a-f]{64}", lock, re.M)
    assert len(hashed) == len(re.findall(r"==", lock)), "every pin carries its hashes (pip --require-hashes)"
