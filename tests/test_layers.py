"""The architecture, checked: layers by folder, imports pointing one way (down), no import cycles,
Discord only where Discord belongs, modules of a readable size, and a test module for every module.

Every module under bot/ and cogs/ is read with ``ast`` (nothing is imported), and each of its
imports of ``bot.*`` or ``cogs.*`` is collected, whether at module level or inside a function.
The layers, lowest first (a module may import its own folder or a lower rank, never a higher one
nor another folder of its own rank):

    0  bot/core             shared types, text helpers, errors, wording
    1  bot/analysis         reading an article (never sources: it is given text)
    1  bot/storage          the database (never analysis nor sources)
    2  bot/sources          article files, web pages, fetching, URLs (may use analysis)
    3  bot/library          the library service, feeds, routing, workers
    4  bot/config, bot/logs settings and logging
    5  bot/discord_app      the Discord layer
    5  bot/localdiscord     the local fake of Discord (never library, storage nor analysis)
    6  cogs/                the slash commands
    7  bot/demo             the offline demo: drives the real bot (discord_app, loading the cogs) against
                            the local fake of Discord (localdiscord); called by the terminal (bot/cli)
    8  bot/cli, bot/__main__, bot/against_fake   the entry points
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MAX_LINES = 550

# The layers: name -> (rank, the modules or packages in it). A module belongs to the layer of its
# longest matching prefix; it may import its own layer or a lower rank.
LAYERS: dict[str, tuple[int, tuple[str, ...]]] = {
    "bot": (0, ("bot",)),  # bot/__init__.py: the package itself (version, worker start-up hook)
    "bot.core": (0, ("bot.core",)),
    "bot.analysis": (1, ("bot.analysis",)),
    "bot.storage": (1, ("bot.storage",)),
    "bot.sources": (2, ("bot.sources",)),
    "bot.library": (3, ("bot.library",)),
    "bot.config": (4, ("bot.config",)),
    "bot.logs": (4, ("bot.logs",)),
    "bot.discord_app": (5, ("bot.discord_app",)),
    "bot.localdiscord": (5, ("bot.localdiscord",)),
    "cogs": (6, ("cogs",)),
    # Above the cogs and the Discord layer it drives, below the terminal that starts it.
    "bot.demo": (7, ("bot.demo",)),
    "entry points": (8, ("bot.cli", "bot.__main__", "bot.against_fake")),
}
RANKS = {layer: rank for layer, (rank, _) in LAYERS.items()}

# Layers that must not import one another whatever their ranks say (importer -> forbidden layers).
FORBIDDEN: dict[str, set[str]] = {
    "bot.storage": {"bot.analysis", "bot.sources"},
    "bot.analysis": {"bot.sources"},
    "bot.localdiscord": {"bot.library", "bot.storage", "bot.analysis"},
}

# Where importing discord at module level is allowed.
DISCORD_LAYERS = {"bot.discord_app", "bot.localdiscord", "cogs"}

# Importing these (in a fresh interpreter) must leave discord out of sys.modules.
DISCORD_FREE_LAYERS = ("bot.core", "bot.sources", "bot.analysis", "bot.storage", "bot.library")
DISCORD_FREE_EXTRA = ("bot", "bot.config", "bot.logs", "bot.cli")


@dataclass
class Module:
    name: str  # dotted, e.g. bot.analysis.names
    path: Path
    is_package: bool
    lines: int
    imports: dict[str, int] = field(default_factory=dict)  # imported bot.*/cogs.* module -> first line
    discord_at_top: list[int] = field(default_factory=list)  # lines importing discord at module level


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> Iterator[Path]:
    for top in ("bot", "cogs"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def layer_of(name: str) -> str:
    """The layer (a key of LAYERS) a module belongs to: the one with its longest matching prefix."""
    best, layer = "", ""
    for candidate, (_, prefixes) in LAYERS.items():
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > len(best):
                best, layer = prefix, candidate
    if not layer:
        raise AssertionError(f"{name}: not in any layer; add its folder to LAYERS in tests/test_layers.py")
    return layer


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: module level, inside if/try/with blocks, but
    not inside functions, classes' methods or ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _type_checking(node):
                stack.extend(node.body)
            stack.extend(node.orelse)
        elif isinstance(node, ast.Try | ast.With | ast.ClassDef):
            for attr in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, attr, []))
        elif isinstance(node, ast.ExceptHandler):
            stack.extend(node.body)


def read_module(path: Path, known: set[str], root: Path = ROOT) -> Module:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    name = module_name(path, root)
    is_package = path.name == "__init__.py"
    module = Module(name, path, is_package, len(text.splitlines()))
    package = name if is_package else name.rpartition(".")[0]

    def add(target: str, line: int) -> None:
        if target.split(".")[0] in ("bot", "cogs") and target != name:
            module.imports.setdefault(target, line)

    for node in ast.walk(tree):  # every import, module level or in a function
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            for alias in node.names:
                sub = f"{origin}.{alias.name}"
                add(sub if sub in known else origin, node.lineno)
    for node in _top_level_imports(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        if not getattr(node, "level", 0) and any(n == "discord" or n.startswith("discord.") for n in names):
            module.discord_at_top.append(node.lineno)
    module.discord_at_top.sort()
    return module


def all_modules() -> dict[str, Module]:
    paths = list(source_files())
    known = {module_name(p) for p in paths}
    return {m.name: m for m in (read_module(p, known) for p in paths)}


MODULES = all_modules()


def where(module: Module, line: int) -> str:
    return f"{module.path.relative_to(ROOT)}:{line}"


# ---------------------------------------------------------------------------------------- (a)


def test_every_module_is_in_a_layer():
    for name in MODULES:
        layer_of(name)  # raises with the module's name if it is in no layer


def layer_problems(module: Module) -> list[str]:
    """Why each of ``module``'s imports of bot.*/cogs.* breaks the layers (none: an empty list)."""
    problems = []
    mine = layer_of(module.name)
    for target, line in sorted(module.imports.items()):
        theirs = layer_of(target)
        if theirs == mine:
            continue
        if theirs in FORBIDDEN.get(mine, set()):
            problems.append(
                f"{where(module, line)}: {module.name} imports {target}, but {mine} must never import "
                f"{theirs}; move what it needs down to a layer both may use (e.g. bot.core)"
            )
        elif RANKS[theirs] >= RANKS[mine]:
            problems.append(
                f"{where(module, line)}: {module.name} ({mine}, rank {RANKS[mine]}) imports {target} "
                f"({theirs}, rank {RANKS[theirs]}); imports point down only: move the shared code to a "
                f"lower layer, or pass it in from above"
            )
    return problems


def test_imports_point_down_the_layers():
    problems = [p for module in MODULES.values() for p in layer_problems(module)]
    assert not problems, "imports against the layers:\n" + "\n".join(problems)


def test_the_layer_rules_catch_wrong_imports(tmp_path: Path):
    """The checker itself: a sideways relative import at module level, an upward one inside a
    function and an allowed one are told apart."""
    pkg = tmp_path / "bot" / "storage"
    pkg.mkdir(parents=True)
    path = pkg / "bad.py"
    path.write_text(
        "from ..analysis import names\n"
        "from bot.core.models import Feed\n"
        "from . import db\n"
        "def f():\n"
        "    import bot.library.service\n"
    )
    known = {"bot.analysis.names", "bot.library.service", "bot.storage.bad", "bot.storage.db", "bot.core.models"}
    module = read_module(path, known, root=tmp_path)
    module.path = ROOT / "bot" / "storage" / "bad.py"  # so that where() can name it
    assert module.name == "bot.storage.bad"
    assert set(module.imports) == {"bot.analysis.names", "bot.core.models", "bot.storage.db", "bot.library.service"}
    problems = layer_problems(module)
    assert len(problems) == 2
    assert "must never import bot.analysis" in problems[0]
    assert "imports bot.library.service" in problems[1] and "point down only" in problems[1]


# ---------------------------------------------------------------------------------------- (b)


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself), by Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph.get(node, ()):
                        found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_import_cycle_finder():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    graph = {name: {t for t in m.imports if t in MODULES} for name, m in MODULES.items()}
    problems = []
    for cycle in import_cycles(graph):
        edges = [
            f"{a} -> {b} ({where(MODULES[a], MODULES[a].imports[b])})" for a in cycle for b in cycle if b in graph[a]
        ]
        problems.append(
            f"import cycle between {', '.join(cycle)}: " + "; ".join(edges) + ". Break it: move what both need "
            "into a lower module, or have the lower one take it as an argument"
        )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------- (c)


def test_discord_is_imported_only_by_the_discord_layers():
    problems = [
        f"{where(m, line)}: {m.name} imports discord at module level; only bot/discord_app, bot/localdiscord "
        f"and cogs may: move this code into the Discord layer, or import discord inside the function that "
        f"needs it"
        for m in MODULES.values()
        if layer_of(m.name) not in DISCORD_LAYERS
        for line in m.discord_at_top
    ]
    assert not problems, "\n".join(problems)


def test_the_discord_check_sees_only_imports_that_run_on_import(tmp_path: Path):
    pkg = tmp_path / "bot" / "library"
    pkg.mkdir(parents=True)
    path = pkg / "mixed.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "import discord.ext.commands\n"  # line 2: runs on import
        "if TYPE_CHECKING:\n"
        "    import discord\n"  # only for type checkers
        "try:\n"
        "    from discord import Embed\n"  # line 6: runs on import
        "except ImportError:\n"
        "    pass\n"
        "def later():\n"
        "    import discord\n"  # when called
        "from . import discord_things\n"  # a relative import of another module, not discord
    )
    assert read_module(path, set(), root=tmp_path).discord_at_top == [2, 6]


def test_the_domain_runs_without_discord():
    """Importing every module below the Discord layer (and config, logs, cli) in a fresh interpreter
    leaves discord unimported."""
    names = [n for n in MODULES if layer_of(n) in DISCORD_FREE_LAYERS] + list(DISCORD_FREE_EXTRA)
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'discord' in sys.modules:\n"
        "        print(name)\n"
        "        break\n"
        "print('discord' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", (
        f"importing {result.stdout.split()[0]} imported discord (rule: only bot/discord_app, bot/localdiscord "
        "and cogs use discord): move its Discord code into bot/discord_app"
    )


# ---------------------------------------------------------------------------------------- (d)


def test_no_module_is_too_long():
    problems = [
        f"{m.path.relative_to(ROOT)}: {m.lines} lines (at most {MAX_LINES}); split it into modules with one job each"
        for m in MODULES.values()
        if m.lines > MAX_LINES
    ]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------- (e)


def mirrored_test(module: Module) -> Path:
    rel = module.path.relative_to(ROOT)
    return ROOT / "tests" / rel.parent / f"test_{rel.stem}.py"


def test_every_module_has_a_test_module():
    problems = []
    for m in MODULES.values():
        if m.path.name in ("__init__.py", "__main__.py"):
            continue
        expected = mirrored_test(m)
        if not expected.is_file():
            problems.append(
                f"{m.path.relative_to(ROOT)} has no tests at {expected.relative_to(ROOT)}: write that test module "
                f"(move the module's unit tests there; tests by concern stay in tests/<folder>/test_<concern>.py)"
            )
    assert not problems, "\n".join(problems)
