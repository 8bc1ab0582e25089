"""The guard rails of the layout (docs/contributing.md): every module sits in a layer of the import contract, none
imports our code inside a function, none grows past ~400 lines, templates link with plain {% url %}; and the checks
that `make test` runs (the contract, `ruff format --check`, mypy's stale-ignore check) really fail on a violation."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("burenhulp", "matching", "worker", "toolbox_content")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
MAX_LINES = 400
#: Modules allowed past MAX_LINES, each with its reason. Data files (the lexicon) and migrations are not counted.
LONG_MODULES = {
    # Owned by the triage rewrite, which splits it (classifier, language gate) in its own change.
    "matching/triage.py": "triage rewrite in progress",
}


def our_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or "lexicon" in rel.parts:
                continue
            name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def layer_modules() -> list[str]:
    names: list[str] = []
    for contract in CONFIG["contracts"]:
        if contract["type"] == "layers":
            for layer in contract["layers"]:
                names += [m.strip() for m in re.split(r"[|:]", layer) if m.strip()]
    return names


def test_every_module_of_ours_sits_in_a_layer_of_the_contract() -> None:
    """A module outside every layer is checked by nobody; each new module is placed on purpose."""
    layers = layer_modules()
    modules = our_modules()

    def wiring(name: str) -> bool:
        # The root packages, an area's package (its __init__), app configs and the settings.
        is_area = modules[name].name == "__init__.py" and name.count(".") == 1
        return name in PACKAGES or is_area or name.endswith(".apps") or name == "burenhulp.settings"

    missing = [
        name
        for name in modules
        if not wiring(name) and not any(name == layer or name.startswith(layer + ".") for layer in layers)
    ]
    assert missing == [], f"Add these modules to a layer in pyproject.toml [tool.importlinter]: {missing}"


def function_level_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    names = [a.name for a in inner.names] if isinstance(inner, ast.Import) else [inner.module or ""]
                    found += [
                        f"{path.relative_to(ROOT)}:{inner.lineno} {n}" for n in names if n.split(".")[0] in PACKAGES
                    ]
    return found


def test_no_module_imports_our_code_inside_a_function() -> None:
    """An import inside a function is how a cycle hides; the contract can only keep a direction that is visible."""
    found = [hit for path in our_modules().values() for hit in function_level_imports(path)]
    assert found == []


def test_no_module_is_longer_than_about_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in our_modules().values()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert {k: v for k, v in long.items() if k not in LONG_MODULES} == {}


def test_templates_link_with_plain_url_tags() -> None:
    """`{% url 'x' as v %}` renders nothing when the name is wrong: a renamed page would silently lose its links."""
    guarded = [
        f"{path.relative_to(ROOT)}"
        for folder in ("templates", "toolbox_content")
        for path in (ROOT / folder).rglob("*.html")
        if re.search(r"{%\s*url\s[^%]*\sas\s+\w+\s*%}", path.read_text())
    ]
    assert guarded == []


# --- The checks of `make test` fail on a violation ----------------------------------------------------------------


def copy_of_the_code(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contract_fails_when_matching_imports_a_workflow(tmp_path: Path) -> None:
    code = copy_of_the_code(tmp_path)
    kept = lint_imports(code)
    assert kept.returncode == 0, kept.stdout[-2000:]
    rules = code / "matching" / "rules.py"
    rules.write_text(rules.read_text() + "\nfrom burenhulp.helprequests import services  # noqa\n")
    broken = lint_imports(code)
    assert broken.returncode == 1
    assert "matching.rules -> burenhulp.helprequests.services" in broken.stdout
    assert "BROKEN" in broken.stdout


def test_the_format_check_fails_on_unformatted_code(tmp_path: Path) -> None:
    module = tmp_path / "ugly.py"
    module.write_text("x = {'a':1}\n")
    ruff = Path(sys.executable).with_name("ruff")
    check = [str(ruff), "format", "--check", "--config", str(ROOT / "pyproject.toml"), str(module)]
    assert subprocess.run(check, capture_output=True, check=False).returncode == 1
    subprocess.run([str(ruff), "format", "--config", str(ROOT / "pyproject.toml"), str(module)], check=True)
    assert subprocess.run(check, capture_output=True, check=False).returncode == 0


@pytest.mark.slow
def test_mypy_fails_on_a_stale_type_ignore(tmp_path: Path) -> None:
    """`warn_unused_ignores` in pyproject.toml: an ignore that no longer silences anything is an error."""
    module = tmp_path / "stale.py"
    module.write_text("def f() -> int:\n    return 1  # type: ignore[return-value]\n")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), str(module)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert 'Unused "type: ignore" comment' in result.stdout
