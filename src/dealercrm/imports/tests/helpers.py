"""Writing small import files for the tests, and counting what an import may change."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from dealercrm.core.models import AuditEntry
from dealercrm.customers.models import Assignment, CarriedProduct, Contact, Customer
from dealercrm.regions.models import SalesRegion


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for number, row in enumerate(rows):
        for position, value in enumerate(row):
            if hasattr(value, "year"):
                sheet.write_datetime(number, position, value, dates)
            elif value is not None:
                sheet.write(number, position, value)
    workbook.close()
    return path


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def database_state() -> dict[str, int]:
    """Row counts of everything a customer import writes."""
    return {
        "customers": Customer.objects.count(),
        "contacts": Contact.objects.count(),
        "carried": CarriedProduct.objects.count(),
        "assignments": Assignment.objects.count(),
        "regions": SalesRegion.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
