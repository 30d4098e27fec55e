"""Structure that shows itself: no import cycles between files, and no module reaching into
another module's private names.

Both checks read the source with `ast` (nothing is imported), over the four packages, and,
for private names, the benchmark and example scripts too. An import counts wherever it
stands: inside a function or under ``if TYPE_CHECKING:`` a cycle is still a cycle.
"""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGES = ("shared_ops", "eager", "static", "compare")
SCRIPT_DIRS = ("benchmarks", "examples")

# Cycles other engineers are taking apart now; each entry goes when its cycle does (the test
# fails once a listed cycle is gone, so that the exception cannot outlive it).
KNOWN_CYCLES: set[frozenset[str]] = set()

# Private-name imports allowed for now, in the areas other engineers own today. Whole areas
# (by importing module), then single private names that modules elsewhere still import.
ALLOWED_IMPORTERS = {
    "shared_ops.ops": "shared_ops/ops/: the fused kernels reuse linalg's and losses' rules; "
                      "owned by another engineer now",
    "static.compiler": "static/compiler/: owned by another engineer now (api reads "
                       "interpreter._check_order)",
}
# PyTorch's own private names in torch.utils.data, kept in PyTorch's spelling because programs
# written for PyTorch import them (torch's files import them from each other too).
_TORCH_DATA_PRIVATE = {
    f"eager.utils.data._utils.{module}.{name}": f"PyTorch's torch.utils.data name {name}"
    for module, names in (
        ("fetch", ("_DatasetKind",)),
        ("base_iter", ("_BaseDataLoaderIter", "_SingleProcessDataLoaderIter")),
        ("multiprocessing_iter", ("_MultiProcessingDataLoaderIter",)),
        ("worker", ("_IterableDatasetStopIteration", "_ResumeIteration", "_worker_loop")),
    )
    for name in names
}
# PyTorch's private layer bases at their torch.nn.modules paths, re-exported by eager.nn.modules
# so that custom layers' imports (``from torch.nn.modules.batchnorm import _BatchNorm``) work.
_TORCH_NN_PRIVATE = {
    f"eager.nn.{name}": "PyTorch's torch.nn.modules base, re-exported by eager.nn.modules"
    for name in ("batchnorm._BatchNorm", "dropout._DropoutNd", "instance_norm._InstanceNorm")
}
ALLOWED_NAMES = {
    **_TORCH_DATA_PRIVATE,
    **_TORCH_NN_PRIVATE,
    "eager.optim.buffers._constant": "tests/eager/optim/test_optimizer_buffers.py patches "
                                     "_constant in each optimizer module; renamed with it by "
                                     "that test's owner",
    "static.builder._as_node": "static/builder.py is being edited by another engineer; "
                               "autodiff and control_flow use these three builder helpers",
    "static.builder._composite_meta": "as static.builder._as_node",
    "static.builder._graph_of": "as static.builder._as_node",
}


def _modules(dirs, root: pathlib.Path = ROOT) -> dict[str, pathlib.Path]:
    """Dotted module name -> file, for every .py file under ``dirs`` (a package's
    ``__init__.py`` is the package itself)."""
    found = {}
    for top in dirs:
        for path in sorted((root / top).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def _imports(name: str, path: pathlib.Path):
    """``(base module, imported name or None, alias or None, node)`` for every import in the
    file, relative imports resolved (``from .x import y`` -> ``("pkg.x", "y", None, ...)``,
    ``import a.b as c`` -> ``("a.b", None, "c", ...)``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, alias.asname, node
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                yield base, alias.name, alias.asname, node


# --- import cycles --------------------------------------------------------------------------
def _import_graph() -> dict[str, set[str]]:
    """Module -> the modules it imports, between files (a package's ``__init__`` re-exports
    are left out on both ends, as the project's cycle tool does)."""
    modules = _modules(PACKAGES)
    files = {m for m, p in modules.items() if p.name != "__init__.py"}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for name in files:
        for base, imported, _, _ in _imports(name, modules[name]):
            for target in (base, f"{base}.{imported}" if imported else None):
                if target in files and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(start: str) -> None:
        # Iterative depth-first walk: (module, iterator over its imports).
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(frozenset(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def test_cycle_finder_finds_a_cycle_and_only_that():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [frozenset("abc")]


def test_no_import_cycles_between_files():
    cycles = _cycles(_import_graph())
    unexpected = [sorted(c) for c in cycles if not any(c <= known for known in KNOWN_CYCLES)]
    assert not unexpected, (
        f"import cycles: {unexpected}. Move the shared piece into the lower module or a new "
        "small module with one purpose, so that the imports point one way")
    gone = [sorted(k) for k in KNOWN_CYCLES if not any(c <= k for c in cycles)]
    assert not gone, f"these cycles are gone: remove them from KNOWN_CYCLES: {gone}"


def test_the_modules_once_in_cycles_stay_out_of_them():
    fixed = {"shared_ops.composite_calls", "shared_ops.dispatch", "shared_ops.registry",
             "eager.nn.module", "eager.nn.module_state", "eager.nn.module_tree",
             "eager.autograd.engine", "eager.creation", "eager.functions", "eager.tensor",
             "eager.tensor_autograd", "eager.tensor_inplace", "eager.tensor_methods",
             "static.graph", "static.listing",
             "compare.attribution", "compare.diffing", "compare.runner"}
    assert not [sorted(c & fixed) for c in _cycles(_import_graph()) if c & fixed]


# --- private names --------------------------------------------------------------------------
def _private_uses(root: pathlib.Path = ROOT) -> list[tuple[str, str, int]]:
    """``(importing module, "module.private_name", line)`` for every use of another module's
    private name: ``from m import _x``, ``m._x`` on an imported module, and an import of a
    private module (``_x.py``) from outside its top-level package."""
    modules = _modules(PACKAGES + SCRIPT_DIRS, root)
    project = _modules(PACKAGES, root)
    uses = []
    for name, path in modules.items():
        top = name.split(".")[0]
        module_names: dict[str, str] = {}  # local name -> project module it is bound to
        for base, imported, asname, node in _imports(name, path):
            if base.split(".")[0] not in PACKAGES:
                continue
            full = f"{base}.{imported}" if imported else base
            target = full if full in project else base
            private_parts = [p for p in target.split(".")[1:] if _is_private(p)]
            if private_parts and target.split(".")[0] != top:
                uses.append((name, target, node.lineno))
            if imported is None:
                module_names[asname or base.split(".")[0]] = base if asname else \
                    base.split(".")[0]
            elif full in project:
                module_names[asname or imported] = full
            elif _is_private(imported):
                uses.append((name, full, node.lineno))
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and _is_private(node.attr):
                owner = _dotted_module(node.value, module_names, project)
                if owner is not None and owner != name:
                    uses.append((name, f"{owner}.{node.attr}", node.lineno))
    return uses


def _dotted_module(node: ast.expr, module_names: dict[str, str], project) -> str | None:
    """The project module an expression such as ``ops`` or ``shared_ops.dispatch`` names,
    else None."""
    if isinstance(node, ast.Name):
        return module_names.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _dotted_module(node.value, module_names, project)
        if owner is not None and f"{owner}.{node.attr}" in project:
            return f"{owner}.{node.attr}"
    return None


def _allowed(importer: str, used: str) -> bool:
    return used in ALLOWED_NAMES or any(
        importer == area or importer.startswith(area) for area in ALLOWED_IMPORTERS)


def test_checker_sees_private_imports_and_attribute_reads(tmp_path):
    pkg = tmp_path / "eager"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("_hidden = 1\nshown = 2\n")
    (pkg / "b.py").write_text("from .a import _hidden, shown\nfrom . import a\n"
                              "import eager.a as mod\nx = a._hidden + mod._hidden + a.shown\n")
    assert sorted(_private_uses(tmp_path)) == [("eager.b", "eager.a._hidden", 1),
                                       ("eager.b", "eager.a._hidden", 4),
                                       ("eager.b", "eager.a._hidden", 4)]


def test_no_module_imports_another_modules_private_names():
    found = [f"{importer} uses {used} (line {line})" for importer, used, line in
             _private_uses() if not _allowed(importer, used)]
    assert not found, ("private names used across modules: make the name public (no "
                       "underscore, a docstring) or move the code to where it is used:\n"
                       + "\n".join(found))
