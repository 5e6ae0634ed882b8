"""The floors the benchmark compares with: raw inserts and one hand-written classification query.

Raw inserts go through the driver alone, without Django: executemany on SQLite, COPY on
PostgreSQL. Only the database work is timed; building the rows is not.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction


def raw_insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> float:
    """Insert rows in one transaction; answer the seconds it took."""
    names = ", ".join(columns)
    raw = connection.connection
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return time.perf_counter() - started


def model_rows(objects: Iterable[Any]) -> tuple[list[str], list[tuple]]:
    """Columns and database values of unsaved model instances, as Django would store them."""
    objects = list(objects)
    fields = [f for f in objects[0]._meta.concrete_fields if not f.primary_key]
    rows = [
        tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
        for obj in objects
    ]
    return [f.column for f in fields], rows


def catch_up_sequence(table: str) -> None:
    """After rows inserted with explicit ids, let PostgreSQL's next id follow them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


CLASSES_SQL = """
WITH totals AS (
    SELECT c.id, c.code, COALESCE(SUM(l.amount), 0) AS metric
    FROM customers_customer c
    LEFT JOIN sales_orderline l
        ON l.customer_id = c.id AND l.company_id = %s AND l.date BETWEEN %s AND %s
    WHERE c.company_id = %s
    GROUP BY c.id, c.code
), ranked AS (
    SELECT id, metric,
        COALESCE(SUM(CASE WHEN metric > 0 THEN metric ELSE 0 END) OVER (
            ORDER BY metric DESC, code ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ), 0) AS before,
        SUM(CASE WHEN metric > 0 THEN metric ELSE 0 END) OVER () AS total
    FROM totals
)
SELECT id, CASE
    WHEN metric <= 0 THEN 'C'
    WHEN before < 0.7 * total THEN 'A'
    WHEN before < 0.9 * total THEN 'B'
    ELSE 'C' END
FROM ranked
"""


def classes_by_sql(company_id: int, start: date, end: date) -> tuple[dict[int, str], float]:
    """Per-customer sales in the window and the ABC class, in one query; and its seconds."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(CLASSES_SQL, [company_id, start, end, company_id])
        classes = dict(cursor.fetchall())
    return classes, time.perf_counter() - started
