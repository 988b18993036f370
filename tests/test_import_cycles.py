"""No import circles in the core or the UI, counting imports inside functions too.

A circle is where the flow stops being one-way: a step that needs a later one,
or two modules that each need the other. The walk reads every ``import`` with
``ast`` and resolves ``from package import module`` to the module itself.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("alignwork", "ui")
# the folder ui/ is installed and imported as alignwork_gui (setup.py): same modules, other name
IMPORT_NAMES = {"alignwork_gui": "ui"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts:
                continue  # Alembic scripts are loaded by Alembic, not imported
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            head, dot, rest = candidate.partition(".")
            candidate = IMPORT_NAMES.get(head, head) + dot + rest
            # the longest known module the name starts with (an attribute import resolves to its module)
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    # importing a.b.c runs a/__init__ and a/b/__init__ first: package inits are edges too
    for name in list(graph):
        for target in list(graph[name]):
            parts = target.split(".")
            for end in range(1, len(parts)):
                parent = ".".join(parts[:end])
                if parent in graph and parent != name and not name.startswith(parent + "."):
                    graph[name].add(parent)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def test_no_import_circles():
    assert _cycles(_graph()) == []


def test_the_walk_finds_a_planted_circle():
    graph = {"alignwork.a": {"alignwork.b"}, "alignwork.b": {"alignwork.c"}, "alignwork.c": {"alignwork.a"},
             "alignwork.d": {"alignwork.a"}}
    assert _cycles(graph) == [["alignwork.a", "alignwork.b", "alignwork.c"]]


def test_the_walk_sees_imports_inside_functions(tmp_path):
    modules = {"pkg.one": tmp_path / "one.py", "pkg.two": tmp_path / "two.py"}
    modules["pkg.one"].write_text("def late():\n    from pkg import two\n", encoding="utf-8")
    assert _imports("pkg.one", modules["pkg.one"], modules) == {"pkg.two"}
