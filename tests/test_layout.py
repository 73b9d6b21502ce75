"""The package's layout: the domain imports no runtime, the adapters no block, the data folders are found."""
import ast
from pathlib import Path

import pytest

from competency_xblock import package_data

PACKAGE = Path(__file__).resolve().parent.parent / "competency_xblock"
RUNTIME_IMPORTS = ("xblock", "django", "web_fragments", "webob", "opaque_keys", "lxml")


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved to absolute names."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(part for part in (base, node.module) if part)
            modules.add(name)
            modules.update(f"{name}.{alias.name}" for alias in node.names)  # from . import scoring
    return modules


def sources(sub_package: str) -> list[Path]:
    return sorted((PACKAGE / sub_package).glob("*.py"))


def test_imported_modules_resolves_relative_imports():
    modules = imported_modules(PACKAGE / "blocks" / "assessment.py")
    assert "competency_xblock.domain.scoring" in modules
    assert "competency_xblock.platform.services" in modules
    assert "xblock.core" in modules


@pytest.mark.parametrize("path", sources("domain"), ids=lambda path: path.name)
def test_the_domain_imports_no_runtime_and_no_other_sub_package(path):
    offending = sorted(
        module for module in imported_modules(path)
        if module.split(".")[0] in RUNTIME_IMPORTS
        or module.startswith(("competency_xblock.blocks", "competency_xblock.platform")))
    assert not offending, f"{path.name} imports {offending}"


@pytest.mark.parametrize("path", sources("platform"), ids=lambda path: path.name)
def test_the_platform_adapters_import_no_block(path):
    offending = sorted(module for module in imported_modules(path) if module.startswith("competency_xblock.blocks"))
    assert not offending, f"{path.name} imports {offending}"


def test_each_sub_package_says_what_lives_there_and_what_it_may_import():
    for sub_package in ("blocks", "domain", "platform"):
        docstring = ast.get_docstring(ast.parse((PACKAGE / sub_package / "__init__.py").read_text()))
        assert docstring and "import" in docstring.lower(), sub_package


def test_a_checkout_finds_static_and_content_at_the_repository_top():
    assert package_data.DATA_ROOT == PACKAGE.parent
    assert package_data.data_path("static/js/assessment.js").is_file()
    assert package_data.data_path("content/schema.json").is_file()
    assert not (PACKAGE / "static").exists() and not (PACKAGE / "content").exists()
