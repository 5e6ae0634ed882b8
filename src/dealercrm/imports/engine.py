"""The generic import engine: columns, header matching, row parsing and error collection.

An importer (one per kind: customers, orders, products) declares its columns and implements two
passes over the file (see `Importer`); the engine reads the header, parses every cell with the
column's parser and collects errors by row and column, as the spreadsheet shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dealercrm.imports.cells import Parser, cell_text, is_blank
from dealercrm.imports.tables import Sheet

# At most this many errors are kept (and shown); the rest are counted.
ERROR_LIMIT = 1000
HEADER_ROW = 1

Progress = Callable[[str, int, int], None]
Reader = Callable[[], Iterator["ParsedRow"]]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    `key` is the English name (also accepted as the header), `header` the Chinese header the
    export writes. A blank cell gives `blank` without calling `parse`. `ignored` columns are
    accepted and skipped (e.g. a computed value the export writes); `exported` is False for a
    column the import accepts but the export does not write.
    """

    key: str
    header: str
    parse: Parser | None = None
    required: bool = False
    blank: Any = ""
    aliases: tuple[str, ...] = ()
    ignored: bool = False
    exported: bool = True


# Stands for a header that is unknown or repeated: reported once, its cells are not read, and
# the rows are still checked so that one upload shows every error.
REFUSED = Column("", "", ignored=True)


@dataclass(frozen=True)
class RowError:
    """One problem: the row as the spreadsheet numbers it, the column header, value and reason."""

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        if not self.row:  # about the whole file
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ErrorList:
    """Errors as they are found, keeping the first ERROR_LIMIT and counting the rest."""

    def __init__(self, limit: int = ERROR_LIMIT) -> None:
        self.limit = limit
        self.kept: list[RowError] = []
        self.count = 0

    def add(self, row: int, column: str, value: Any, message: str) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(RowError(row, column, cell_text(value)[:200], message))

    def add_validation(self, row: int, column: str, value: Any, error: ValidationError) -> None:
        self.add(row, column, value, " ".join(error.messages))

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def more(self) -> int:
        return self.count - len(self.kept)

    def sorted(self) -> list[RowError]:
        return sorted(self.kept, key=lambda error: error.row)


@dataclass
class ParsedRow:
    """A data row: parsed values by column key, for the columns present in the file."""

    number: int
    values: dict[str, Any]
    cells: Sequence[Any] = ()
    positions: dict[str, int] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.values

    def cell(self, key: str) -> Any:
        """The raw cell of a column (None when the row is shorter)."""
        position = self.positions[key]
        return self.cells[position] if position < len(self.cells) else None


def _header_key(text: str) -> str:
    # "客户编码*", "客户类型 (分销商/终端/消费者)" and "Parent_Code " all name their column.
    text = re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", text.strip())
    return text.rstrip("*＊ ").strip().casefold()


class ColumnSpec:
    """The columns of one kind of file, found in a header row by Chinese header or alias."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self.by_key = {column.key: column for column in columns}
        self.by_name: dict[str, Column] = {}
        for column in columns:
            for name in (column.header, column.key, *column.aliases):
                self.by_name[_header_key(name)] = column

    @property
    def exported(self) -> list[Column]:
        return [column for column in self.columns if column.exported]

    def match_header(self, cells: Sequence[Any], errors: ErrorList) -> list[Column | None]:
        """The column of each header cell (None: a blank header, REFUSED: a bad one, reported)."""
        found: list[Column | None] = []
        seen: dict[str, str] = {}
        for cell in cells:
            name = cell_text(cell)
            column = self.by_name.get(_header_key(name)) if name else None
            if name and column is None:
                errors.add(HEADER_ROW, name, name, _("Unknown column “%(name)s”.") % {"name": name})
                column = REFUSED
            elif column is not None and column.key in seen:
                errors.add(
                    HEADER_ROW,
                    name,
                    name,
                    _("Column “%(name)s” appears twice (also as “%(first)s”).")
                    % {"name": name, "first": seen[column.key]},
                )
                column = REFUSED
            elif column is not None:
                seen[column.key] = name
            found.append(column)
        for column in self.columns:
            if column.required and column.key not in seen:
                errors.add(
                    HEADER_ROW,
                    column.header,
                    "",
                    _("The required column “%(name)s” is missing.") % {"name": column.header},
                )
        return found


class RowReader:
    """Parses the data rows of a sheet against a ColumnSpec, one row at a time."""

    def __init__(self, spec: ColumnSpec, sheet: Sheet, errors: ErrorList) -> None:
        self.spec = spec
        self.sheet = sheet
        self.errors = errors
        self.present: set[str] = set()
        self.positions: dict[str, int] = {}
        self._read: list[tuple[int, Column]] = []
        self._unnamed: list[int] = []
        self._width = 0

    def read(self) -> Iterator[ParsedRow]:
        """Each non-blank data row, parsed; cell errors go to `errors` (the row still comes)."""
        rows = iter(self.sheet)
        for _number, cells in rows:
            if not all(is_blank(cell) for cell in cells):
                self._use_header(self.spec.match_header(cells, self.errors))
                break
        else:
            self.errors.add(HEADER_ROW, "", "", _("The file is empty: no header row."))
            return
        for number, cells in rows:
            if all(is_blank(cell) for cell in cells):
                continue
            yield self._parse(number, cells)

    def _use_header(self, columns: list[Column | None]) -> None:
        self._width = len(columns)
        for position, column in enumerate(columns):
            if column is None:
                self._unnamed.append(position)
            elif not column.ignored:
                self._read.append((position, column))
                self.positions[column.key] = position
        self.present = set(self.positions)

    def _parse(self, number: int, cells: Sequence[Any]) -> ParsedRow:
        values: dict[str, Any] = {}
        length = len(cells)
        for position, column in self._read:
            cell = cells[position] if position < length else None
            if cell is None or cell == "" or (isinstance(cell, str) and cell.isspace()):
                if column.required:
                    self.errors.add(number, column.header, "", _("This column is required."))
                values[column.key] = column.blank
            elif column.parse is None:
                values[column.key] = cell_text(cell)
            else:
                try:
                    values[column.key] = column.parse(cell)
                except ValidationError as error:
                    self.errors.add_validation(number, column.header, cell, error)
                    values[column.key] = column.blank
        stray = [p for p in self._unnamed if p < length] + list(range(self._width, length))
        for position in stray:
            if not is_blank(cells[position]):
                self.errors.add(
                    number, "", cells[position], _("A value in a column without a header.")
                )
        return ParsedRow(number, values, cells, self.positions)


@dataclass
class Summary:
    """What an import does (or did): counts, and a few of the rows it creates."""

    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    sample: list[dict[str, str]] = field(default_factory=list)

    SAMPLE_SIZE: ClassVar[int] = 10

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "notes": list(self.notes),
            "sample": list(self.sample),
        }

    def describe(self) -> str:
        return _("%(rows)s rows: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class Importer:
    """One kind of import. Subclasses declare `kind` and `spec` and implement the two passes.

    `check(rows)` is pass 1: it validates every row and keeps only what later rows need (codes,
    references). `apply(read, write)` is pass 2, reading the file again (`read()` starts a fresh
    read, and may be called more than once): it compares each row with the stored data and, when
    `write` is true, writes in batches. The engine runs pass 2 only when pass 1 found no error,
    and with `write` inside one transaction.
    """

    kind: ClassVar[str] = ""
    spec: ClassVar[ColumnSpec]
    # Shown in the column list of the import page.
    sample_columns: ClassVar[Sequence[str]] = ()

    def __init__(self, *, company: Any, actor: Any, source: str) -> None:
        self.company = company
        self.actor = actor
        self.source = source

    def rows(self, sheet: Sheet, errors: ErrorList) -> Iterator[Any]:
        """The data rows both passes read: ParsedRow by default; a kind whose files are large
        (orders) overrides this with its own faster reader and row type."""
        return RowReader(self.spec, sheet, errors).read()

    def check(self, rows: Iterable[ParsedRow], errors: ErrorList, progress: Progress) -> None:
        raise NotImplementedError

    def apply(self, read: Reader, *, write: bool, progress: Progress) -> Summary:
        raise NotImplementedError
