"""Import-linter contract types of our own, loaded by `lint-imports` from pyproject.toml.

import-linter sees modules, not names: `from fieldvisit.store import _meta` is to it an
import of `fieldvisit.store` like any other, so the side doors issue 10 closes (callers
reaching into a package's private helpers) pass every built-in contract. This contract
reads the source of each module in the graph and reports, as file:line, every private
name (leading underscore, not a dunder) that one package takes from another, imported
or reached as an attribute of an imported module (`store._meta(...)`).

A "package" here is a child of a container (by default the root package): everything
under `fieldvisit.store` may share `fieldvisit.store`'s private names, nothing outside
may. Top-level modules such as `fieldvisit.idcard` are packages of their own.

`lint-imports` puts the working directory on sys.path, so from the repository root this
module is `build.contracts` (build/ has no __init__.py: a namespace package, on purpose,
so that the folder shadows nothing).
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import grimp
from importlinter import Contract, ContractCheck, fields, output


@dataclass(frozen=True, order=True)
class PrivateUse:
    """One private name used outside its package, with where it happens."""

    path: str
    line: int
    importer: str
    owner: str
    name: str
    how: str  # "imports" or "uses"

    def __str__(self) -> str:
        # The path stands for the importer: a line short enough not to wrap.
        return f"{self.path}:{self.line}: {self.how} {self.owner}.{self.name}"


class PrivateNamesContract(Contract):
    """No module takes a private name from another package.

    Options:
        containers:     packages whose children are the units of privacy (optional;
                        default: the root packages)
        ignore_names:   "importer -> owner.name" entries that are allowed anyway, for a
                        known exception on its way out (optional)
    """

    type_name = "private_names"

    containers = fields.SetField(subfield=fields.StringField(), required=False)
    ignore_names = fields.SetField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        roots: list[str] = list(self.session_options["root_packages"])
        # The fields hold parsed values once the contract is built (import-linter's way).
        containers = sorted(cast("set[str] | None", self.containers) or roots)
        ignored = {_normalise(e) for e in cast("set[str] | None", self.ignore_names) or ()}
        uses: list[PrivateUse] = []
        for root in roots:
            source_dir = _package_dir(root)
            for module in sorted(graph.modules):
                if module == root or module.startswith(root + "."):
                    uses += find_private_uses(module, source_dir, root, graph.modules, containers)
        kept_out = [u for u in uses if f"{u.importer} -> {u.owner}.{u.name}" not in ignored]
        output.verbose_print(verbose, f"{len(uses)} private names used across packages")
        return ContractCheck(kept=not kept_out, metadata={"uses": sorted(set(kept_out))})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error(
            "Private names may only be used inside the package that defines them:", bold=False
        )
        output.new_line()
        for use in check.metadata["uses"]:
            output.print_error(f"- {use}", bold=False)
        output.new_line()


def find_private_uses(
    module: str, source_dir: Path, root: str, modules: set[str], containers: list[str]
) -> list[PrivateUse]:
    """The private names `module` imports or reaches from outside its own package."""
    path, is_package = _module_file(module, source_dir, root)
    if path is None:
        return []
    tree = ast.parse(path.read_bytes(), filename=str(path))
    shown = _shown_path(path)
    here = _unit(module, containers)
    package = module if is_package else module.rpartition(".")[0]
    aliases: dict[str, str] = {}  # local name → module it is bound to
    uses: list[PrivateUse] = []

    def report(line: int, owner: str, name: str, how: str) -> None:
        if _unit(owner, containers) not in (None, here):
            uses.append(PrivateUse(shown, line, module, owner, name, how))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    aliases[head] = head
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                if _is_private(alias.name):
                    report(node.lineno, base, alias.name, "imports")
                if f"{base}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            owner = _dotted_module(node.value, aliases, modules)
            if owner is not None:
                report(node.lineno, owner, node.attr, "uses")
    return uses


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _unit(module: str, containers: list[str]) -> str | None:
    """The package that owns `module`'s private names: the container's child it lies in
    (None for modules outside every container, such as other projects' packages)."""
    for container in sorted(containers, key=len, reverse=True):
        if module == container:
            return container
        if module.startswith(container + "."):
            return container + "." + module[len(container) + 1 :].partition(".")[0]
    return None


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module a `from … import` reads from, relative levels resolved."""
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _dotted_module(value: ast.expr, aliases: dict[str, str], modules: set[str]) -> str | None:
    """The module an attribute chain such as `fieldvisit.store` or `store` names, if any."""
    parts: list[str] = []
    while isinstance(value, ast.Attribute):
        parts.append(value.attr)
        value = value.value
    if not isinstance(value, ast.Name) or value.id not in aliases:
        return None
    name = aliases[value.id]
    for part in reversed(parts):
        if f"{name}.{part}" not in modules:
            return None  # an attribute of something else than a module
        name = f"{name}.{part}"
    return name if name in modules else None


def _package_dir(root: str) -> Path:
    """The root package's folder, found without importing it."""
    spec = importlib.util.find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{root} is not a package")
    return Path(next(iter(spec.submodule_search_locations)))


def _module_file(module: str, source_dir: Path, root: str) -> tuple[Path | None, bool]:
    """The source file of `module` and whether it is a package's __init__."""
    folder = source_dir.joinpath(*module.split(".")[1:]) if module != root else source_dir
    if (folder / "__init__.py").is_file():
        return folder / "__init__.py", True
    file = folder.with_suffix(".py")
    return (file, False) if file.is_file() else (None, False)


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _normalise(entry: str) -> str:
    importer, _, name = entry.partition("->")
    return f"{importer.strip()} -> {name.strip()}"
