"""The dependency graph in docs/architecture.md is the one the code has.

The graph is drawn from the code with grimp (the import graph import-linter uses): an edge
``a -> b`` means some module of app ``a`` (tests and migrations aside) imports a module of app
``b``. The docs list the edges in a ``dependency-graph`` block; the two must be equal, so a new
dependency between apps is added to the picture on purpose, in the same change.
"""

from __future__ import annotations

import re
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[4]
DOC = ROOT / "docs" / "architecture.md"
NOT_APPS = {
    "conf",
    "launcher",
    "urls",
    "wsgi",
    "testing",
    "conftest",
    "__main__",
    "locale",
    "static",
    "templates",
}


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in NOT_APPS:
        return None
    if any(part in {"tests", "migrations"} for part in parts[2:]):
        return None
    return parts[1]


def graph_from_code() -> dict[str, set[str]]:
    graph = grimp.build_graph("ekommune", cache_dir=None)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        source = _app_of(module)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _app_of(imported)
            if target is not None and target != source:
                edges.setdefault(source, set()).add(target)
    return edges


def graph_from_docs(text: str) -> dict[str, set[str]]:
    block = re.search(r"```dependency-graph\n(.*?)```", text, re.DOTALL)
    assert block, "docs/architecture.md has no ```dependency-graph block"
    edges: dict[str, set[str]] = {}
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        source, _, targets = line.partition("->")
        edges[source.strip()] = {target.strip() for target in targets.split(",") if target.strip()}
    return edges


def render(edges: dict[str, set[str]]) -> str:
    return "\n".join(f"{source} -> {', '.join(sorted(edges[source]))}" for source in sorted(edges))


def test_the_documented_dependency_graph_is_the_one_in_the_code() -> None:
    documented = graph_from_docs(DOC.read_text(encoding="utf-8"))
    actual = graph_from_code()
    assert render(documented) == render(actual), (
        "docs/architecture.md's dependency graph differs from the code; the code's graph is:\n"
        + render(actual)
    )


def test_the_docs_block_is_read_as_written() -> None:
    text = "```dependency-graph\nportal -> archive, core\narchive -> core\n```"
    assert graph_from_docs(text) == {"portal": {"archive", "core"}, "archive": {"core"}}
