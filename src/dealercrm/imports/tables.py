"""Spreadsheet files row by row: .xlsx (python-calamine / xlsxwriter) and .csv.

Reading streams the rows, numbered as the spreadsheet shows them (the first row is 1), so a file
of 100,000 rows can be read twice without holding it. CSV files from Excel in China are often
GB18030 (GBK) rather than UTF-8: the encoding is detected. CSV is written as UTF-8 with a BOM so
that Excel opens it with the right characters.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import python_calamine
import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A text cell that a spreadsheet would run as a formula is written with a leading apostrophe
# (CSV injection); reading drops that apostrophe again, so values survive the round trip.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 1 << 20


def file_format(path: str | Path) -> str:
    """'xlsx' or 'csv' from the file name; ValidationError for anything else."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(
            _("Use an .xlsx or .csv file (got “%(name)s”)."), params={"name": Path(path).name}
        )
    return suffix


def csv_encoding(path: str | Path) -> str:
    """'utf-8-sig' when the whole file decodes as UTF-8 (BOM or not), else 'gb18030'."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


class Sheet:
    """The rows of a file's first sheet, the header included, as (row number, cells).

    `total` is the number of rows for progress (for CSV the number of lines, a close upper
    bound). Opening raises ValidationError when the file cannot be read as a spreadsheet.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.format = file_format(path)
        if not self.path.is_file():
            raise ValidationError(
                _("The file “%(name)s” is gone."), params={"name": self.path.name}
            )
        if self.format == "csv":
            self.encoding = csv_encoding(path)
            self.total = _count_lines(path)
        else:
            try:
                workbook = python_calamine.load_workbook(str(path))
                self._sheet = workbook.get_sheet_by_index(0)
            except Exception as exc:  # calamine raises several error types for a broken file
                raise ValidationError(
                    _("The file cannot be read as an .xlsx workbook: %(error)s"),
                    params={"error": exc},
                ) from exc
            self.total = self._sheet.end[0] + 1 if self._sheet.end else 0

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        if self.format == "csv":
            return self._csv_rows()
        # calamine yields rows from the sheet's first row, so the position is the row number.
        return enumerate(self._sheet.iter_rows(), start=1)

    def _csv_rows(self) -> Iterator[tuple[int, list[Any]]]:
        with open(self.path, encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle)
            try:
                for number, cells in enumerate(reader, start=1):
                    yield number, [_unguard(cell) for cell in cells]
            except csv.Error as exc:
                raise ValidationError(
                    _("Row %(row)s cannot be read as CSV: %(error)s"),
                    params={"row": reader.line_num, "error": exc},
                ) from exc


def _unguard(cell: str) -> str:
    if cell[:1] == "'" and cell[1:2] and cell[1:2] in _FORMULA_STARTS:
        return cell[1:]
    return cell


def _count_lines(path: str | Path) -> int:
    lines = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


# ---------------------------------------------------------------------------- writing


def _guard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_table(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a header row and rows to path (.xlsx or .csv by the name); returns the row count."""
    if file_format(path) == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            return _write_csv(handle, headers, rows)
    workbook = xlsxwriter.Workbook(str(path), _xlsx_options(constant_memory=True))
    try:
        return _write_sheet(workbook, headers, rows)
    finally:
        workbook.close()


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A small workbook in memory (for a direct download)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {**_xlsx_options(constant_memory=False), "in_memory": True}
    )
    _write_sheet(workbook, headers, rows)
    workbook.close()
    return buffer.getvalue()


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file as UTF-8 bytes with a BOM, produced row by row (for a streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield codecs.BOM_UTF8
    writer.writerow(headers)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_guard(value) for value in row])
        if count % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _write_csv(handle: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    writer = csv.writer(handle)
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow([_guard(value) for value in row])
        count += 1
    return count


def _xlsx_options(*, constant_memory: bool) -> dict[str, Any]:
    # Text stays text: no formulas, URLs or numbers guessed from strings.
    return {
        "constant_memory": constant_memory,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }


def _write_sheet(workbook: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    sheet = workbook.add_worksheet()
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.write_row(count, 0, row)
    return count
