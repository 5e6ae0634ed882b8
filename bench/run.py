"""`make bench`: scale figures on SQLite and PostgreSQL, printed as a table and written as JSON.

For each database it builds a fresh installation and a synthetic dealer: BENCH_CUSTOMERS customers
(default 100,000) imported through the real import path, BENCH_LINES order lines over two years
(default 5,000,000), of which BENCH_IMPORT_LINES (default 1,000,000) go through
`dealercrm import orders` in a child process (its peak RSS) and the rest are loaded raw. Then
`dealercrm classify`, and searches through the customer-list API and page. Floors measured in
the same run: raw inserts of the same rows (executemany on SQLite, COPY on PostgreSQL) and one
hand-written SQL query for the per-customer totals and ABC classes (bench/floors.py).
A step whose command does not exist yet is reported as not available.
Run one database per child process so peak memory (max RSS) is that database's alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "dealercrm_bench"


def _pg_url() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable ({error}); measuring SQLite only", file=sys.stderr)
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"


def _run_one(database: str, url: str | None, home: Path) -> dict:
    env = dict(os.environ, DEALERCRM_HOME=str(home), DJANGO_SETTINGS_MODULE="dealercrm.settings")
    env["DEALERCRM_ALLOWED_HOSTS"] = "testserver"
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    out = home / "result.json"
    subprocess.run(
        [sys.executable, str(Path(__file__).with_name("measure.py")), database, str(out)],
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def main() -> None:
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="dealercrm-bench-") as scratch:
        home = Path(scratch) / "sqlite"
        home.mkdir()
        results.append(_run_one("sqlite", None, home))
        _write(results)  # each database's figures are kept as soon as they exist
        url = _pg_url()
        if url:
            home = Path(scratch) / "postgresql"
            home.mkdir()
            results.append(_run_one("postgresql", url, home))
            _write(results)
    _print_table(results)
    print(f"\nwritten to {(RESULTS / 'bench.json').relative_to(ROOT)}")


def _write(results: list[dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


# label, unit, key, floor key (None: no floor), target, "rate" (higher is better) or "time"
ROWS = [
    ("customers / order lines", "rows", "customers", None, "", ""),
    (
        "customer import",
        "rows/s",
        "import_rows_per_s",
        "floor_customer_rows_per_s",
        ">= 10000",
        "rate",
    ),
    ("customer import (whole process)", "peak RSS MB", "import_peak_rss_mb", None, "", ""),
    ("customer re-import (unchanged)", "rows/s", "reimport_rows_per_s", None, "", ""),
    ("customer export", "rows/s", "export_rows_per_s", None, "", ""),
    ("raw insert, customers", "rows/s", "floor_customer_rows_per_s", None, "floor", ""),
    (
        "order import (child process)",
        "lines/s",
        "order_import_lines_per_s",
        "floor_order_lines_per_s",
        ">= 100000, <= 2.5x",
        "rate",
    ),
    ("order import (child process)", "peak RSS MB", "order_import_peak_rss_mb", None, "< 300", ""),
    ("raw insert, orders + lines", "lines/s", "floor_order_lines_per_s", None, "floor", ""),
    ("classify all customers", "s", "classify_s", "floor_classify_s", "<= 2x, PG < 10", "time"),
    ("classify: classes unlike SQL", "customers", "classify_differs_from_sql", None, "0", ""),
    ("  of which command start-up", "s", "command_startup_s", None, "", ""),
    ("hand-written SQL classes", "s", "floor_classify_s", None, "floor", ""),
    ("API list, search q", "p50 ms", "api_search_p50_ms", None, "", ""),
    ("API list, search q", "p95 ms", "api_search_p95_ms", "api_search_scan_p95_ms", "< 50", "time"),
    ("API list, search q, no FTS5 index", "p95 ms", "api_search_scan_p95_ms", None, "", ""),
    ("API list, search q + class", "p50 ms", "api_search_class_p50_ms", None, "", ""),
    ("API list, search q + class", "p95 ms", "api_search_class_p95_ms", None, "< 50", ""),
    ("API list, kind + owner filter", "p95 ms", "api_filter_p95_ms", None, "", ""),
    ("list page, search q", "p50 ms", "page_search_p50_ms", None, "", ""),
    ("list page, search q", "p95 ms", "page_search_p95_ms", None, "", ""),
]


def _cell(result: dict, key: str, floor: str | None, kind: str) -> str:
    value = result.get(key)
    if value is None:
        return "n/a"
    if key == "customers":
        return f"{value}/{result.get('order_lines', '-')}"
    ratio = ""
    base = result.get(floor) if floor else None
    if base:
        times = base / value if kind == "rate" else value / base
        ratio = f" ({times:.1f}x)"
    return f"{value}{ratio}"


def _print_table(results: list[dict]) -> None:
    """One row per figure; (N.Nx) is how many times slower than its floor in the same run."""
    names = [r["database"] for r in results]
    print(f"\n{'measure':34} {'unit':12} " + " ".join(f"{n:>20}" for n in names) + "  target")
    for label, unit, key, floor, target, kind in ROWS:
        cells = " ".join(f"{_cell(r, key, floor, kind):>20}" for r in results)
        print(f"{label:34} {unit:12} {cells}  {target}")
    print("(N.Nx): times slower than the floor measured in the same run; n/a: not available")
    for result in results:
        for note in result.get("notes", []):
            print(f"{result['database']}: {note}")


if __name__ == "__main__":
    main()
