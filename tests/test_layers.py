"""Layers import downwards only: the API and the pages never import each other, and nothing below them imports either."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "quotes"
# The factory and the command line put the layers together; every other module sits in one of them.
ASSEMBLERS = {"quotes", "quotes.__main__", "quotes.cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The modules ``path`` imports, relative imports resolved (``from . import x`` counts as ``package.x``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def within(module: str, layer: str) -> bool:
    return module == layer or module.startswith(layer + ".")


MODULES = {module_name(path): imported(path) for path in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize(
    "layer, never_imports",
    [
        ("quotes.api", "quotes.web"),
        ("quotes.web", "quotes.api"),
    ],
)
def test_the_api_and_the_pages_never_import_each_other(layer, never_imports):
    offenders = {m: sorted(i for i in imports if within(i, never_imports))
                 for m, imports in MODULES.items() if within(m, layer)}
    assert {m: i for m, i in offenders.items() if i} == {}


@pytest.mark.parametrize("upper", ["quotes.api", "quotes.web"])
def test_modules_below_the_api_and_the_pages_import_neither(upper):
    below = [m for m in MODULES if m not in ASSEMBLERS and not within(m, "quotes.api") and not within(m, "quotes.web")]
    assert "quotes.intake" in below and "quotes.limits" in below and "quotes.error_pages" in below
    offenders = {m: sorted(i for i in MODULES[m] if within(i, upper)) for m in below}
    assert {m: i for m, i in offenders.items() if i} == {}
