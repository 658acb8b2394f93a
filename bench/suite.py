"""``make bench``: a short run of each benchmark, each against its ceiling measured in the same run,
and one table of the figures (issue 19). About two minutes on two cores.

    .venv/bin/python bench/suite.py

Uses DATABASE_URL (or the embedded server). Each benchmark runs in a process of its own with
``--short --json``; the table shows the figure, its ceiling, the ratio and the target.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run(script: str, *extra: str) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "bench" / script), "--short", "--json", out.name, *extra],
            cwd=ROOT,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"bench/{script} failed (exit {result.returncode})")
        figures: dict[str, Any] = json.loads(Path(out.name).read_text() or "{}")
        figures["wall_seconds"] = time.perf_counter() - started
        return figures


def row(
    name: str, figure: float, unit: str, ceiling: float | None, target: str, met: bool, note: str = ""
) -> str:
    ratio = f"{figure / ceiling:5.0%}" if ceiling else "    —"
    ceiling_text = f"{ceiling:>10,.0f}" if ceiling else f"{'—':>10}"
    return (
        f"| {name:<30} | {figure:>10,.0f} {unit:<9} | {ceiling_text} | {ratio} | {target:<26} | "
        f"{'yes' if met else 'NO ':<3} | {note}"
    )


def main() -> None:
    started = time.perf_counter()
    print(
        f"make bench: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, {time.strftime('%Y-%m-%d %H:%M')}",
        flush=True,
    )
    archive = run("archive_registration.py")
    rows = []
    bulk = archive["bulk"]
    rows.append(
        row(
            "bulk registration (service)", bulk["per_second"], "entries/s", bulk["raw_copy_per_second"],
            ">= 10,000/s and >= 20 %", bulk["per_second"] >= 10_000 and bulk["ratio"] >= 0.2,
        )
    )  # fmt: skip
    create, ceiling = archive["api_create"], archive["ceiling_create"]
    rows.append(
        row(
            "API create (ny-journalpost)", create["per_second"], "req/s", ceiling["per_second"],
            ">= 75 %, p95 < 50 ms", archive["create_ratio"] >= 0.75 and create["p95_ms"] < 50,
            f"p95 {create['p95_ms']:.0f} ms; CPU/req web {create['server_cpu_ms']:.1f} / PostgreSQL "
            f"{create['database_cpu_ms']:.1f} ms (ceiling {ceiling['server_cpu_ms']:.1f} / "
            f"{ceiling['database_cpu_ms']:.1f}); {archive['in_process']['post_statements']} statements",
        )
    )  # fmt: skip
    read, read_ceiling = archive["api_read"], archive["ceiling_read"]
    rows.append(
        row(
            "API read by systemID", read["per_second"], "req/s", read_ceiling["per_second"], ">= 75 %",
            archive["read_ratio"] >= 0.75,
            f"p95 {read['p95_ms']:.0f} ms; CPU/req web {read['server_cpu_ms']:.1f} / PostgreSQL "
            f"{read['database_cpu_ms']:.1f} ms (ceiling {read_ceiling['server_cpu_ms']:.1f} / "
            f"{read_ceiling['database_cpu_ms']:.1f}); {archive['in_process']['get_statements']} statements",
        )
    )  # fmt: skip
    print()
    print(f"| {'benchmark':<30} | {'figure':>20} | {'ceiling':>10} | ratio | {'target':<26} | met | notes")
    print(f"|{'-' * 32}|{'-' * 22}|{'-' * 12}|-------|{'-' * 28}|-----|------")
    for line in rows:
        print(line)
    print(f"\nmake bench: {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
