"""Writing an orders file in bulk: COPY on PostgreSQL, executemany on SQLite, ids allocated at once.

Called by `OrderImporter.apply` inside the import transaction, after pass 1 found no error and
every order of the file is marked NEW, REPLACED or UNCHANGED.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db import connection

from dealercrm.imports.engine import Progress, Reader
from dealercrm.sales.importing import (
    BATCH,
    CUSTOMER,
    DATE,
    LOOKUP_CHUNK,
    NEW,
    PRINT,
    REPLACED,
    STATE,
)

if TYPE_CHECKING:
    from dealercrm.sales.importing import OrderImporter

NULL = "\\N"
SQLITE_CACHE_KB = 32_768
_LINE_COLUMNS = "company_id, order_id, customer_id, date, product_id, quantity, amount, cost"


def write_orders(importer: OrderImporter, read: Reader, progress: Progress) -> None:
    """Replace the stored orders the file changes, add its new ones, then write their lines."""
    company_id = importer.company.pk
    orders = importer.orders
    replaced = [order for order in orders.values() if order[STATE] == REPLACED]
    new = [(number, order) for number, order in orders.items() if order[STATE] == NEW]
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for start in range(0, len(replaced), LOOKUP_CHUNK):
            chunk = replaced[start : start + LOOKUP_CHUNK]
            ids = [order[PRINT] for order in chunk]
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM sales_orderline WHERE order_id IN ({marks})", ids)
        if replaced:
            cursor.executemany(
                "UPDATE sales_order SET date = %s, customer_id = %s WHERE id = %s",
                [(order[DATE].isoformat(), order[CUSTOMER], order[PRINT]) for order in replaced],
            )
        ids = _allocate_ids(cursor, len(new), postgres=postgres)
        for order_id, (_number, order) in zip(ids, new, strict=True):
            order[PRINT] = order_id
        rows = (
            (order[PRINT], company_id, number, order[DATE], order[CUSTOMER])
            for number, order in new
        )
        if postgres:
            _copy_orders(cursor.cursor, rows)
            _copy_lines(cursor.cursor, company_id, importer.lines_to_write(read), progress)
            cursor.execute("ANALYZE sales_order, sales_orderline")
        else:
            raw = cursor.cursor
            # A bigger page cache for this connection: the line table's six indexes take
            # inserts in random key order (the default 2 MB makes SQLite re-read pages).
            raw.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
            raw.executemany(
                "INSERT INTO sales_order (id, company_id, number, date, customer_id)"
                " VALUES (?, ?, ?, ?, ?)",
                ((i, c, n, d.isoformat(), cu) for i, c, n, d, cu in rows),
            )
            _insert_lines(raw, company_id, importer.lines_to_write(read), progress)


def _allocate_ids(cursor: Any, count: int, *, postgres: bool) -> list[int]:
    if not count:
        return []
    if postgres:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('sales_order', 'id'))"
            " FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]
    # SQLite: the import transaction is IMMEDIATE, so it holds the write lock already.
    cursor.execute("SELECT coalesce(max(id), 0) FROM sales_order")
    start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _copy_orders(raw: Any, rows: Iterator[tuple[Any, ...]]) -> None:
    with raw.copy(
        "COPY sales_order (id, company_id, number, date, customer_id) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_lines(
    raw: Any, company_id: int, lines: Iterator[tuple[Any, ...]], progress: Progress
) -> None:
    # Every value is an id, an ISO date or a decimal: nothing to escape in COPY's text format.
    prefix = f"{company_id}\t"
    done = 0
    with raw.copy(f"COPY sales_orderline ({_LINE_COLUMNS}) FROM STDIN") as copy:
        buffer: list[str] = []
        for order_id, customer_id, date, product_id, quantity, amount, cost in lines:
            buffer.append(
                f"{prefix}{order_id}\t{customer_id}\t{date}\t{product_id}\t{quantity}\t"
                f"{amount}\t{NULL if cost is None else cost}\n"
            )
            if len(buffer) == BATCH:
                copy.write("".join(buffer))
                done += BATCH
                buffer.clear()
                progress("write", done, done)
        copy.write("".join(buffer))
    progress("write", done + len(buffer), done + len(buffer))


def _insert_lines(
    raw: Any, company_id: int, lines: Iterator[tuple[Any, ...]], progress: Progress
) -> None:
    sql = f"INSERT INTO sales_orderline ({_LINE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    done = 0
    batch: list[tuple[Any, ...]] = []
    dates: dict[Any, str] = {}
    for order_id, customer_id, date, product_id, quantity, amount, cost in lines:
        day = dates.get(date)
        if day is None:
            day = dates[date] = date.isoformat()
        batch.append(
            (
                company_id,
                order_id,
                customer_id,
                day,
                product_id,
                str(quantity),
                str(amount),
                None if cost is None else str(cost),
            )
        )
        if len(batch) == BATCH:
            raw.executemany(sql, batch)
            done += BATCH
            batch.clear()
            progress("write", done, done)
    raw.executemany(sql, batch)
    progress("write", done + len(batch), done + len(batch))
