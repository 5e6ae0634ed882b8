"""`dealercrm import orders`: order lines from the dealer's ERP or Excel, fast.

Columns (DESIGN): 单号* (number), 日期* (date), 客户编码* (customer_code), 产品编码*
(product_code), 数量* (quantity), 金额* (amount), 成本 (cost). A return is a line with a negative
quantity and amount.

Meaning of a file:
- The file's lines of an order number are the whole order. An order number already stored is
  replaced by the file's lines (its old lines are deleted, its date and customer follow the file);
  an order whose date, customer and lines (product, quantity, amount, cost, in any order) are
  the same as stored is left alone and counted as unchanged, so importing the same file, or an
  exported one, again changes nothing. Orders not in the file are never touched.
- Every line of one order number must name the same date and customer (the lines repeat them).
- Unknown customer or product codes, bad dates and numbers are errors; nothing is written unless
  the whole file is good.

Speed: a million lines must go in at 100,000 lines a second, so this kind does not use the
engine's per-cell RowReader. The file is read twice with the csv module (or calamine for .xlsx),
column positions resolved once; dates go through a cache of the texts already seen; customer and
product codes through dicts loaded once. Pass 1 keeps per order number only its date, customer,
first row, line count and a fingerprint of its lines (about 300 bytes an order); pass 2 writes
the lines of new and replaced orders with COPY on PostgreSQL and executemany on SQLite, in one
transaction, with the order ids allocated in bulk.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from dealercrm.customers.models import Customer
from dealercrm.imports.cells import cell_text, is_blank
from dealercrm.imports.engine import (
    HEADER_ROW,
    Column,
    ColumnSpec,
    ErrorList,
    Importer,
    Progress,
    Reader,
    Summary,
)
from dealercrm.imports.tables import Sheet
from dealercrm.products.models import Product

COLUMNS = [
    Column("number", "单号", required=True),
    Column("date", "日期", required=True),
    Column("customer_code", "客户编码", required=True),
    Column("product_code", "产品编码", required=True),
    Column("quantity", "数量", required=True),
    Column("amount", "金额", required=True),
    Column("cost", "成本"),
]
KEYS = [column.key for column in COLUMNS]

# Progress is reported every this many rows; lines are written in batches of this many.
PROGRESS_EVERY = 20_000
BATCH = 20_000
# Stored order numbers are looked up this many at a time.
LOOKUP_CHUNK = 2_000
_DATE_CACHE_LIMIT = 100_000
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

# What pass 1 keeps per order number (a list, indexed by these positions).
DATE, CUSTOMER, FIRST_ROW, LINES, PRINT, STATE = range(6)
# STATE: what pass 2 does with the order.
NEW, REPLACED, UNCHANGED = 1, 2, 3
_MASK = (1 << 64) - 1


def _fingerprint(product_id: int, quantity: Decimal, amount: Decimal, cost: Decimal | None) -> int:
    # Equal numbers hash alike (5 and 5.000), so stored and file lines compare by value.
    return hash((product_id, quantity, amount, cost))


class _Number:
    """A decimal cell rounded half up to `places`, below 10**(digits - places) in size."""

    def __init__(self, places: int, digits: int) -> None:
        self.places = places
        self.quantum = Decimal(1).scaleb(-places)
        self.ceiling = Decimal(10) ** (digits - places)

    def __call__(self, text: str) -> Decimal:
        """The number, or ValueError with the reason."""
        try:
            value = Decimal(text)
        except InvalidOperation:
            try:
                value = Decimal(text.replace(",", "").replace("，", "").removesuffix("元"))
            except InvalidOperation:
                raise ValueError(_("Not a number.")) from None
        if not value.is_finite():
            raise ValueError(_("Not a number."))
        try:
            value = value.quantize(self.quantum, ROUND_HALF_UP)
        except InvalidOperation:
            raise ValueError(_("Out of range.")) from None
        if not -self.ceiling < value < self.ceiling:
            raise ValueError(_("Out of range."))
        return value


QUANTITY = _Number(3, 14)
MONEY = _Number(2, 14)


class OrderImporter(Importer):
    """Order lines, replacing stored orders of the same number (see the module docstring)."""

    kind = "orders"
    spec = ColumnSpec(COLUMNS)
    sample_columns = tuple(column.header for column in COLUMNS)

    def __init__(self, *, company: Any, actor: Any, source: str) -> None:
        super().__init__(company=company, actor=actor, source=source)
        self.orders: dict[str, list[Any]] = {}
        self.lines = 0
        self._positions: tuple[int, ...] = ()
        self._width = 0
        self._unnamed: list[int] = []
        self._dates: dict[Any, dt.date] = {}
        self._customers: dict[str, int] | None = None
        self._products: dict[str, int] | None = None

    # ------------------------------------------------------------------ reading

    def rows(self, sheet: Sheet, errors: ErrorList) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells) of each non-blank data row, the header matched once."""
        cells_of = self._csv_rows(sheet) if sheet.format == "csv" else self._xlsx_rows(sheet)
        for _number, cells in cells_of:
            if any(cells) and not all(is_blank(cell) for cell in cells):
                header_errors = errors.count
                self._use_header(self.spec.match_header(cells, errors))
                if errors.count > header_errors:
                    return  # every row would repeat the header's problem
                break
        else:
            errors.add(HEADER_ROW, "", "", _("The file is empty: no header row."))
            return
        width = self._width
        for number, cells in cells_of:
            if len(cells) < width:
                if not any(cells):
                    continue
                cells = [*cells, *[""] * (width - len(cells))]
            yield number, cells

    def _csv_rows(self, sheet: Sheet) -> Iterator[tuple[int, list[str]]]:
        with open(sheet.path, encoding=sheet.encoding, newline="") as handle:
            reader = csv.reader(handle)
            try:
                yield from enumerate(reader, start=1)
            except csv.Error as exc:
                raise ValidationError(
                    _("Row %(row)s cannot be read as CSV: %(error)s"),
                    params={"row": reader.line_num, "error": exc},
                ) from exc

    def _xlsx_rows(self, sheet: Sheet) -> Iterator[tuple[int, list[Any]]]:
        for number, cells in sheet:
            yield (
                number,
                [cell if isinstance(cell, (str, dt.date)) else cell_text(cell) for cell in cells],
            )

    def _use_header(self, columns: list[Column | None]) -> None:
        positions = {
            column.key: position
            for position, column in enumerate(columns)
            if column is not None and not column.ignored
        }
        self._width = len(columns)
        # An absent optional column (cost) has position -1: always blank.
        self._positions = tuple(positions.get(key, -1) for key in KEYS)
        self._unnamed = [p for p, column in enumerate(columns) if column is None]

    def _lookups(self) -> tuple[dict[str, int], dict[str, int]]:
        if self._customers is None:
            self._customers = dict(
                Customer.objects.for_company(self.company).values_list("code", "id")
            )
            self._products = dict(
                Product.objects.for_company(self.company).values_list("code", "id")
            )
        assert self._products is not None
        return self._customers, self._products

    def _date(self, cell: Any) -> dt.date:
        """The date of a cell; ValueError when it is not one."""
        if isinstance(cell, dt.datetime):
            return cell.date()
        if isinstance(cell, dt.date):
            return cell
        text = cell.strip()
        if " " in text:
            day, _space, time = text.partition(" ")
            if time.strip() in ("00:00:00", "00:00", "0:00:00", "0:00"):
                text = day
        try:
            if len(text) == 10 and text[4] == "-":
                value = dt.date.fromisoformat(text)
            else:
                match = _DATE.match(text)
                if not match:
                    raise ValueError
                value = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(_("Not a date: write it as 2024-03-15.")) from None
        if len(self._dates) < _DATE_CACHE_LIMIT:
            self._dates[cell] = value
        return value

    def _parsed(
        self, rows: Iterable[tuple[int, list[Any]]], errors: ErrorList
    ) -> Iterator[tuple[int, str, dt.date, int, int, Decimal, Decimal, Decimal | None]]:
        """Each good row parsed: (row, number, date, customer id, product id, quantity,
        amount, cost); a bad row's problems go to errors and the row is skipped."""
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        rows = itertools.chain([first], rows)
        customers, products = self._lookups()
        dates = self._dates
        parse_date = self._date
        has_cost = self._positions[-1] >= 0
        width = self._width
        p_number, p_date, p_customer, p_product, p_quantity, p_amount, p_cost = self._positions
        headers = [column.header for column in COLUMNS]
        unnamed = self._unnamed
        D, half_up = Decimal, ROUND_HALF_UP
        q_quantum, q_ceiling = QUANTITY.quantum, QUANTITY.ceiling
        m_quantum, m_ceiling = MONEY.quantum, MONEY.ceiling
        for row, cells in rows:
            # The fast path for a good row; anything unusual is parsed again column by column.
            try:
                number = cells[p_number].strip()
                date_cell = cells[p_date]
                date = dates.get(date_cell) or parse_date(date_cell)
                customer_id = customers[cells[p_customer].strip()]
                product_id = products[cells[p_product].strip()]
                quantity = D(cells[p_quantity]).quantize(q_quantum, half_up)
                amount = D(cells[p_amount]).quantize(m_quantum, half_up)
                cost_text = cells[p_cost] if has_cost else None
                cost = (
                    D(cost_text).quantize(m_quantum, half_up)
                    if cost_text and not cost_text.isspace()
                    else None
                )
                if not (
                    -q_ceiling < quantity < q_ceiling
                    and -m_ceiling < amount < m_ceiling
                    and (cost is None or -m_ceiling < cost < m_ceiling)
                    and number
                    and len(number) <= 40
                ):
                    raise ValueError
            except (KeyError, ValueError, AttributeError, TypeError, InvalidOperation):
                parsed = self._slow_row(row, cells, errors, headers)
                if parsed is None:
                    continue
                number, date, customer_id, product_id, quantity, amount, cost = parsed
            if (unnamed or len(cells) > width) and self._stray(row, cells, errors):
                continue
            yield row, number, date, customer_id, product_id, quantity, amount, cost

    def _stray(self, row: int, cells: list[Any], errors: ErrorList) -> bool:
        stray = [p for p in self._unnamed if not is_blank(cells[p])]
        stray += [p for p in range(self._width, len(cells)) if not is_blank(cells[p])]
        for position in stray:
            errors.add(row, "", cells[position], _("A value in a column without a header."))
        return bool(stray)

    def _slow_row(
        self, row: int, cells: list[Any], errors: ErrorList, headers: list[str]
    ) -> tuple[str, dt.date, int, int, Decimal, Decimal, Decimal | None] | None:
        """A row the fast path refused, column by column: its values, or None with every
        problem in errors."""
        customers, products = self._lookups()
        values: dict[str, Any] = {"cost": None}
        found = False
        for key, header, position in zip(KEYS, headers, self._positions, strict=True):
            cell = cells[position] if position >= 0 else None
            if is_blank(cell):
                if key != "cost":
                    errors.add(row, header, "", _("This column is required."))
                    found = True
                continue
            text = (cell if isinstance(cell, str) else cell_text(cell)).strip()
            message = ""
            try:
                if key == "number":
                    if len(text) > 40:
                        message = _("Too long: %(length)s characters, at most %(limit)s.") % {
                            "length": len(text),
                            "limit": 40,
                        }
                    values[key] = text
                elif key == "date":
                    values[key] = self._date(cell)
                elif key == "customer_code":
                    if text not in customers:
                        message = _("No customer with code “%(code)s”.") % {"code": text}
                    values[key] = customers.get(text)
                elif key == "product_code":
                    if text not in products:
                        message = _("No product with code “%(code)s”.") % {"code": text}
                    values[key] = products.get(text)
                elif key == "quantity":
                    values[key] = QUANTITY(text)
                else:
                    values[key] = MONEY(text)
            except ValueError as error:
                message = str(error)
            if message:
                errors.add(row, header, cell, message)
                found = True
        if found:
            return None
        return tuple(values[key] for key in KEYS)  # type: ignore[return-value]

    # ------------------------------------------------------------------ pass 1

    def check(self, rows: Iterable[Any], errors: ErrorList, progress: Progress) -> None:
        orders = self.orders
        count = 0
        date_header, customer_header = COLUMNS[1].header, COLUMNS[2].header
        for row, number, date, customer_id, product_id, quantity, amount, cost in self._parsed(
            rows, errors
        ):
            count += 1
            print_ = hash((product_id, quantity, amount, cost))
            order = orders.get(number)
            if order is None:
                orders[number] = [date, customer_id, row, 1, print_ & _MASK, 0]
            else:
                if order[DATE] != date:
                    errors.add(
                        row,
                        date_header,
                        date,
                        _("Order %(number)s is dated %(date)s on row %(row)s.")
                        % {"number": number, "date": order[DATE], "row": order[FIRST_ROW]},
                    )
                if order[CUSTOMER] != customer_id:
                    errors.add(
                        row,
                        customer_header,
                        "",
                        _("Order %(number)s is for another customer on row %(row)s.")
                        % {"number": number, "row": order[FIRST_ROW]},
                    )
                order[LINES] += 1
                order[PRINT] = (order[PRINT] + print_) & _MASK
            if count % PROGRESS_EVERY == 0:
                progress("check", count, count)
        self.lines = count
        progress("check", count, count)

    # ------------------------------------------------------------------ pass 2

    def _compare(self) -> None:
        """Mark each order of the file NEW, REPLACED (with its stored id) or UNCHANGED."""
        orders = self.orders
        numbers = list(orders)
        postgres = connection.vendor == "postgresql"
        # PostgreSQL takes a whole array as one parameter; SQLite a list of placeholders.
        size = LOOKUP_CHUNK * 10 if postgres else LOOKUP_CHUNK
        for start in range(0, len(numbers), size):
            chunk = numbers[start : start + size]
            stored = {
                order_id: (number, date, customer_id)
                for order_id, number, date, customer_id in self._stored_orders(chunk, postgres)
            }
            prints = self._stored_prints(list(stored))
            for number in chunk:
                orders[number][STATE] = NEW
            for order_id, (number, date, customer_id) in stored.items():
                order = orders[number]
                same = (
                    order[DATE] == date
                    and order[CUSTOMER] == customer_id
                    and order[PRINT] == prints[order_id]
                )
                order[STATE] = UNCHANGED if same else REPLACED
                order[PRINT] = order_id  # from here on: the stored id

    def _stored_orders(self, numbers: list[str], postgres: bool) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            if postgres:
                match, params = "= ANY(%s)", [numbers]
            else:
                match, params = f"IN ({', '.join(['%s'] * len(numbers))})", numbers
            cursor.execute(
                "SELECT id, number, date, customer_id FROM sales_order"
                f" WHERE company_id = %s AND number {match}",
                [self.company.pk, *params],
            )
            rows = cursor.fetchall()
        return rows

    def _stored_prints(self, order_ids: list[int]) -> dict[int, int]:
        """The fingerprint of each stored order's lines, read without the ORM: a million
        lines come back as plain tuples (SQLite gives the decimals as text)."""
        prints = dict.fromkeys(order_ids, 0)
        if not order_ids:
            return prints
        if connection.vendor == "sqlite":
            columns = "CAST(quantity AS TEXT), CAST(amount AS TEXT), CAST(cost AS TEXT)"
            match, params = f"IN ({', '.join(['%s'] * len(order_ids))})", order_ids
        else:
            columns = "quantity, amount, cost"
            match, params = "= ANY(%s)", [order_ids]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT order_id, product_id, {columns} FROM sales_orderline"
                f" WHERE company_id = %s AND order_id {match}",
                [self.company.pk, *params],
            )
            D = Decimal
            for order_id, product_id, quantity, amount, cost in cursor:
                if quantity.__class__ is str:
                    quantity, amount = D(quantity), D(amount)
                    cost = None if cost is None else D(cost)
                prints[order_id] = (
                    prints[order_id] + _fingerprint(product_id, quantity, amount, cost)
                ) & _MASK
        return prints

    def apply(self, read: Reader, *, write: bool, progress: Progress) -> Summary:
        self._compare()
        summary = Summary(rows=self.lines)
        counts = {NEW: 0, REPLACED: 0, UNCHANGED: 0}
        for order in self.orders.values():
            counts[order[STATE]] += 1
            if order[STATE] == NEW:
                summary.new += order[LINES]
            elif order[STATE] == REPLACED:
                summary.updated += order[LINES]
            else:
                summary.unchanged += order[LINES]
        summary.notes.append(
            _("Orders: %(new)s new, %(replaced)s replaced, %(unchanged)s unchanged.")
            % {"new": counts[NEW], "replaced": counts[REPLACED], "unchanged": counts[UNCHANGED]}
        )
        if write and (counts[NEW] or counts[REPLACED]):
            from dealercrm.sales.writing import write_orders

            write_orders(self, read, progress)
        return summary

    def lines_to_write(
        self, read: Reader
    ) -> Iterator[tuple[int, int, dt.date, int, Decimal, Decimal, Decimal | None]]:
        """Pass 2: (order id, customer id, date, product id, quantity, amount, cost) of each
        line of a new or replaced order, once the order ids are allocated (in the PRINT slot).

        Pass 1 found every row good, so this reads only what it writes: the order's date and
        customer come from what pass 1 kept, and a row that no longer parses means the file
        changed in between.
        """
        orders = self.orders
        _customers, products = self._lookups()
        rows = iter(read())
        first = next(rows, None)
        if first is None:
            return
        has_cost = self._positions[-1] >= 0
        p_number, _d, _c, p_product, p_quantity, p_amount, p_cost = self._positions
        D, half_up = Decimal, ROUND_HALF_UP
        q_quantum, m_quantum = QUANTITY.quantum, MONEY.quantum
        headers = [column.header for column in COLUMNS]
        changed = ValidationError(
            _("The file changed while it was imported; nothing was imported. Try again.")
        )
        count = 0
        for row, cells in itertools.chain([first], rows):
            count += 1
            try:
                order = orders[cells[p_number].strip()]
                if order[STATE] == UNCHANGED:
                    continue
                cost_text = cells[p_cost] if has_cost else None
                line = (
                    order[PRINT],
                    order[CUSTOMER],
                    order[DATE],
                    products[cells[p_product].strip()],
                    D(cells[p_quantity]).quantize(q_quantum, half_up),
                    D(cells[p_amount]).quantize(m_quantum, half_up),
                    D(cost_text).quantize(m_quantum, half_up)
                    if cost_text and not cost_text.isspace()
                    else None,
                )
            except (KeyError, ValueError, AttributeError, TypeError, InvalidOperation):
                # A row pass 1 read on its slow path (e.g. "1,200.50"), or a changed file.
                parsed = self._slow_row(row, cells, ErrorList(), headers)
                order = orders.get(parsed[0]) if parsed else None
                if parsed is None or order is None:
                    raise changed from None
                if order[STATE] == UNCHANGED:
                    continue
                line = (order[PRINT], order[CUSTOMER], order[DATE], *parsed[3:])
            yield line
        if count != self.lines:
            raise changed
