"""`make bench`: scale figures on SQLite and PostgreSQL, printed as a table and written as JSON.

For each database it builds a fresh installation, generates a synthetic dealer file of
BENCH_CUSTOMERS rows (default 100,000), imports it through the real import command path,
then measures searches through the customer-list API and the customer-list page.
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
    results = []
    with tempfile.TemporaryDirectory(prefix="dealercrm-bench-") as scratch:
        home = Path(scratch) / "sqlite"
        home.mkdir()
        results.append(_run_one("sqlite", None, home))
        url = _pg_url()
        if url:
            home = Path(scratch) / "postgresql"
            home.mkdir()
            results.append(_run_one("postgresql", url, home))
    _print_table(results)
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "bench.json"
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nwritten to {target.relative_to(ROOT)}")


def _print_table(results: list[dict]) -> None:
    rows = [
        ("customers imported", "rows", "customers"),
        ("customer import", "rows/s", "import_rows_per_s"),
        ("customer import", "peak RSS MB", "import_peak_rss_mb"),
        ("customer re-import (unchanged)", "rows/s", "reimport_rows_per_s"),
        ("customer export", "rows/s", "export_rows_per_s"),
        ("API list, search q", "p50 ms", "api_search_p50_ms"),
        ("API list, search q", "p95 ms", "api_search_p95_ms"),
        ("API list, kind + owner filter", "p95 ms", "api_filter_p95_ms"),
        ("list page, search q", "p50 ms", "page_search_p50_ms"),
        ("list page, search q", "p95 ms", "page_search_p95_ms"),
    ]
    names = [r["database"] for r in results]
    print(f"\n{'measure':34} {'unit':12} " + " ".join(f"{n:>12}" for n in names))
    for label, unit, key in rows:
        values = " ".join(f"{r.get(key, '-'):>12}" for r in results)
        print(f"{label:34} {unit:12} {values}")


if __name__ == "__main__":
    main()
