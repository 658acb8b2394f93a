"""Benchmark: exporting and checking a Noark 5 extraction package (arkivuttrekk).

    .venv/bin/python bench/deposit_export.py [--entries 100000] [--documents 1000] [--keep]

Uses DATABASE_URL (or starts the embedded server), in a fresh database ``ekommune_deposit_bench``
that it creates (and drops unless ``--keep``). Builds ``--entries`` registry entries (20 per case,
bulk registration through ``archive.services.registry_entries_register_bulk``; ``--documents`` of
them registered one by one with a PDF), then runs the export and the check each in a fresh
process and reports entries/s and that process's peak memory (ru_maxrss). Targets (issue 5,
2 cores): >= 3,000 entries/s exported, peak memory < 300 MB whatever the size.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.common import database_url, drop_database, recreate_database

BENCH_DB = "ekommune_deposit_bench"
CASE_SIZE = 20
BATCH = 1000


def setup_django(url: str, media: Path, migrate: bool = False) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ekommune.conf.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("EKOMMUNE_LOG_LEVEL", "WARNING")
    os.environ["EKOMMUNE_MEDIA_ROOT"] = str(media)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def build(entries: int, documents: int) -> str:
    """The archive: one series, classes, cases of 20 entries. Returns the series' systemID."""
    from ekommune.archive import services
    from ekommune.core.models import Role, User
    from ekommune.core.services import municipality_create, staff_user_create

    operator = User.objects.create_superuser(
        username="bench-operator",
        password="x",  # noqa: S106
        email="op@bench.invalid",
    )
    municipality = municipality_create(
        actor=operator, name="Benk kommune", slug="benk", number="9999", organisation_number="987654325"
    )
    worker = staff_user_create(
        actor=operator,
        municipality=municipality,
        username="bench",
        first_name="Benk",
        last_name="Arkivar",
        email="bench@bench.invalid",
        password="benchmark-passord-2026",  # noqa: S106
        roles=[Role.RECORDS_MANAGER],
    )
    fonds = services.fonds_create(
        actor=worker,
        municipality=municipality,
        title="Benk arkiv",
        creator_id="987654325",
        creator_name="Benk",
    )
    system = services.classification_system_create(
        actor=worker,
        municipality=municipality,
        title="Nøkkel",
        classes=[(f"{n:03d}", f"Klasse {n}") for n in range(10)],
    )
    classes = list(system.classes.order_by("class_id"))
    series = services.series_create(
        actor=worker, municipality=municipality, fonds=fonds, title="Sakarkiv", classification_system=system
    )
    party = services.PartyInput(party_type="EA", name="Ola Nordmann", postal_code="5490", city="Fjordvik")
    started = time.perf_counter()
    cases = []
    for index in range((entries + CASE_SIZE - 1) // CASE_SIZE):
        cases.append(
            services.case_file_create(
                actor=worker,
                municipality=municipality,
                series=series,
                title=f"Sak {index}",
                administrative_unit="Teknisk",
                case_responsible="Benk",
                primary_class=classes[index % len(classes)],
            )
        )
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for index in range(min(documents, entries)):
        services.registry_entry_register(
            actor=worker,
            municipality=municipality,
            case_file=cases[index % len(cases)],
            entry_type="I",
            title=f"Brev med vedlegg {index}",
            parties=[party],
            documents=[
                services.DocumentInput(
                    title=f"Brev {index}",
                    file_name=f"brev-{index}.pdf",
                    content=io.BytesIO(pdf + str(index).encode()),
                )
            ],
        )
    done = min(documents, entries)
    while done < entries:
        size = min(BATCH, entries - done)
        services.registry_entries_register_bulk(
            actor=worker,
            municipality=municipality,
            entries=[
                services.EntryInput(
                    case_file=cases[(done + k) // CASE_SIZE % len(cases)],
                    entry_type="IUNXS"[(done + k) % 5],
                    title=f"Journalpost nr. {done + k}",
                    parties=[party] if "IUNXS"[(done + k) % 5] in "IU" else [],
                )
                for k in range(size)
            ],
        )
        done += size
    from django.db import connection

    with connection.cursor() as cursor:  # fresh bulk data: the planner's statistics, as autovacuum gives them
        cursor.execute("ANALYZE")
    print(
        f"built {entries} entries in {len(cases)} cases in {time.perf_counter() - started:.1f} s", flush=True
    )
    return str(series.system_id)


def phase(kind: str, out: Path, series_id: str) -> dict[str, float]:
    """Run in a fresh process: export or check, then report time, CPU time and peak memory.

    The CPU time (this process and its children, not the database server) shows the work done
    when the machine is shared and the wall-clock figure is not the program's alone."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    if kind == "export":
        import uuid

        from ekommune.core.models import Municipality, User
        from ekommune.deposit import services

        result = services.package_export(
            actor=User.objects.get(username="bench"),
            municipality=Municipality.objects.get(slug="benk"),
            series_ids=[uuid.UUID(series_id)],
            out_dir=out,
            parallel=os.environ.get("BENCH_PARALLEL", "1") == "1",
        )
        count = result.counts["registrering"]
    else:
        from ekommune.deposit import services

        report = services.package_check(package_dir=out)
        if not report.ok:
            print(report.to_text()[:3000], file=sys.stderr)
        count = report.counts["arkivstruktur.xml"]["registrering"]
    elapsed = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the journal process of a parallel export
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime - cpu_before
    return {
        "entries": count,
        "seconds": elapsed,
        "per_second": count / elapsed,
        "cpu_seconds": cpu,
        "peak_mb": max(own.ru_maxrss, children.ru_maxrss) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="Keep the database and the package.")
    parser.add_argument("--phase", choices=["export", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--series", help=argparse.SUPPRESS)
    parser.add_argument("--media", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        setup_django(os.environ["DATABASE_URL"], Path(args.media))
        print(json.dumps(phase(args.phase, Path(args.out), args.series)))
        return
    url, _server = database_url()
    work = Path(tempfile.mkdtemp(prefix="deposit-bench-"))
    media = work / "media"
    bench = recreate_database(url, BENCH_DB)
    setup_django(bench, media, migrate=True)
    series_id = build(args.entries, args.documents)
    out = work / "uttrekk"
    figures = {}
    for kind in ("export", "check"):
        completed = subprocess.run(
            [
                sys.executable,
                __file__,
                "--phase",
                kind,
                "--out",
                str(out),
                "--series",
                series_id,
                "--media",
                str(media),
            ],
            env={**os.environ, "DATABASE_URL": bench},
            capture_output=True,
            text=True,
            check=True,
        )
        figures[kind] = json.loads(completed.stdout.strip().splitlines()[-1])
        if completed.stderr.strip():
            print(completed.stderr.strip()[-2000:], file=sys.stderr)
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"package: {size / 1e6:.1f} MB")
    for kind, figure in figures.items():
        print(
            f"{kind:6}: {figure['entries']} entries in {figure['seconds']:.1f} s = "
            f"{figure['per_second']:,.0f} entries/s, {figure['cpu_seconds']:.1f} s CPU "
            f"({figure['entries'] / max(figure['cpu_seconds'], 1e-9):,.0f} entries per CPU-second), "
            f"peak memory {figure['peak_mb']:.0f} MB"
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        from django.db import connections

        connections.close_all()
        drop_database(url, BENCH_DB)
    else:
        print(f"kept: database {BENCH_DB}, package {out}")


if __name__ == "__main__":
    main()
