"""The package's shape: few top-level modules, no import cycles, no upward imports."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coaching"
# Lower layers never import higher ones (the flow: audio -> ... -> store -> app / cli).
FORBIDDEN = {
    "coaching.audio": ("coaching.app", "coaching.cli", "coaching.store", "coaching.report"),
    "coaching.speakers": ("coaching.app", "coaching.cli", "coaching.store", "coaching.report"),
    "coaching.transcript": ("coaching.app", "coaching.cli", "coaching.store", "coaching.report"),
    "coaching.delivery": ("coaching.app", "coaching.cli", "coaching.store", "coaching.report"),
    "coaching.text": ("coaching.app", "coaching.cli", "coaching.store", "coaching.report"),
    "coaching.abuse": ("coaching.app", "coaching.cli", "coaching.store", "coaching.report"),
    "coaching.scoring": ("coaching.app", "coaching.cli", "coaching.store", "coaching.report"),
    "coaching.report": ("coaching.app", "coaching.cli", "coaching.store"),
    "coaching.store": ("coaching.app", "coaching.cli"),
    "coaching.batch": ("coaching.app", "coaching.cli"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, lazily or not, except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py") if "pages" not in p.parts}
    edges = nx.DiGraph()
    for name, path in modules.items():
        edges.add_node(name)
        for target in imports_of(path):
            if target in modules and target != name:
                edges.add_edge(name, target)
        edges.nodes[name]["imports"] = imports_of(path)
        edges.nodes[name]["external"] = {t.split(".")[0] for t in imports_of(path)}
    return edges


def test_at_most_twelve_modules_at_the_top_level():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_no_import_cycles(graph):
    # Package __init__ re-exports are edges too; a cycle through one is still a cycle.
    assert list(nx.simple_cycles(graph)) == []


def test_the_library_never_imports_samples_testkit_or_tests(graph):
    offenders = {
        name: sorted(graph.nodes[name]["external"] & {"samples", "testkit", "tests"})
        for name in graph.nodes
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_no_upward_imports(graph):
    upward = [
        (source, target)
        for source, target in graph.edges
        for layer, above in FORBIDDEN.items()
        if (source == layer or source.startswith(layer + ".")) and target.startswith(above)
    ]
    assert upward == []


def test_scoring_does_not_import_the_terminal_summary(graph):
    scoring = [n for n in graph.nodes if n.startswith("coaching.scoring")]
    assert not any(graph.has_edge(n, "coaching.report.summary") for n in scoring)


def test_only_the_pipeline_runs_steps(graph):
    """The stage modules hold functions; the pipeline module alone names and runs the steps."""
    runners = sorted(
        n for n in graph.nodes if "coaching.progress.StepRunner" in graph.nodes[n]["imports"]
    )
    assert runners == ["coaching.pipeline"]
    torch_on_import = [
        n
        for n in ("coaching.pipeline", "coaching.speakers.stereo", "coaching.audio.activity")
        if "torch" in graph.nodes[n]["external"]
    ]
    assert torch_on_import == []


def test_stereo_calls_do_not_import_torch():
    """The diarization network is for mono calls; a stereo analysis never pays its ~200 MB."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import coaching.pipeline, coaching.speakers.stereo, coaching.speakers.mono\n"
        "import coaching.registry, coaching.text.scorers\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
