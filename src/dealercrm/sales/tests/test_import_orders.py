import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from dealercrm.imports.services import export_file, import_file
from dealercrm.imports.tests.helpers import write_csv, write_xlsx
from dealercrm.sales.models import Order, OrderLine
from dealercrm.sales.tests.helpers import HEADER, catalogue, state, stored_lines

pytestmark = pytest.mark.django_db(transaction=False)

ROWS = [
    ["SO-1", "2025-03-01", "A001", "P01", "10", "1,200.50", "900"],
    ["SO-1", "2025-03-01 00:00:00", "A001", "P03", "2", "300", ""],
    ["SO-2", "2025/3/5", "A002", "P02", "1.5", "99.999", "70.004"],
    ["SO-3", "2025-03-09", "A001", "P01", "-3", "-360.15", "-270"],
]
EXPECTED = [
    ("SO-1", "2025-03-01", "A001", "P01", Decimal("10"), Decimal("1200.50"), Decimal("900")),
    ("SO-1", "2025-03-01", "A001", "P03", Decimal("2"), Decimal("300"), None),
    ("SO-2", "2025-03-05", "A002", "P02", Decimal("1.5"), Decimal("100.00"), Decimal("70.00")),
    ("SO-3", "2025-03-09", "A001", "P01", Decimal("-3"), Decimal("-360.15"), Decimal("-270")),
]


@pytest.fixture
def alpha(personas):
    catalogue(personas.company)
    return personas.company


def run(path, company, *, write=True):
    return import_file("orders", path, company=company, write=write)


def test_it_imports_a_csv_file_with_returns_as_negative_lines(alpha, tmp_path):
    outcome = run(write_csv(tmp_path / "orders.csv", [HEADER, *ROWS]), alpha)

    assert outcome.ok, outcome.errors
    assert (outcome.summary.rows, outcome.summary.new) == (4, 4)
    assert stored_lines(alpha) == EXPECTED
    assert Order.objects.for_company(alpha).count() == 3
    assert OrderLine.objects.get(order__number="SO-3").amount == Decimal("-360.15")


def test_it_imports_an_xlsx_file_with_date_and_number_cells(alpha, tmp_path):
    rows = [
        ["SO-1", dt.date(2025, 3, 1), "A001", "P01", 10, 1200.5, 900],
        ["SO-1", dt.date(2025, 3, 1), "A001", "P03", 2, 300, None],
        ["SO-2", "2025-03-05", "A002", "P02", 1.5, 99.999, 70.004],
        ["SO-3", dt.date(2025, 3, 9), "A001", "P01", -3, -360.15, -270],
    ]
    outcome = run(write_xlsx(tmp_path / "orders.xlsx", [HEADER, *rows]), alpha)

    assert outcome.ok, outcome.errors
    assert stored_lines(alpha) == EXPECTED


def test_it_accepts_english_headers_and_a_gb18030_file(alpha, tmp_path):
    header = ["number", "date", "customer_code", "product_code", "quantity", "amount"]
    path = write_csv(
        tmp_path / "orders.csv",
        [header, ["销售-1", "2025年3月1日", "A001", "P01", "1", "5"]],
        encoding="gb18030",
    )
    outcome = run(path, alpha)

    assert outcome.ok, outcome.errors
    assert stored_lines(alpha) == [
        ("销售-1", "2025-03-01", "A001", "P01", Decimal(1), Decimal(5), None)
    ]


def test_importing_the_same_file_again_changes_nothing(alpha, tmp_path):
    path = write_csv(tmp_path / "orders.csv", [HEADER, *ROWS])
    run(path, alpha)
    before = state(alpha)
    ids = sorted(OrderLine.objects.values_list("id", flat=True))

    again = run(path, alpha)

    assert again.ok
    assert (again.summary.new, again.summary.updated, again.summary.unchanged) == (0, 0, 4)
    assert state(alpha) == before
    assert sorted(OrderLine.objects.values_list("id", flat=True)) == ids


def test_a_stored_order_number_is_replaced_by_the_files_lines(alpha, tmp_path):
    run(write_csv(tmp_path / "first.csv", [HEADER, *ROWS]), alpha)
    order = Order.objects.get(number="SO-1")
    replacement = [
        ["SO-1", "2025-03-02", "A002", "P02", "4", "40", ""],
        ["SO-4", "2025-03-10", "A002", "P02", "1", "10", ""],
    ]

    outcome = run(write_csv(tmp_path / "second.csv", [HEADER, *replacement]), alpha)

    assert outcome.ok, outcome.errors
    assert (outcome.summary.new, outcome.summary.updated) == (1, 1)
    order.refresh_from_db()
    assert (order.date, order.customer.code) == (dt.date(2025, 3, 2), "A002")
    lines = stored_lines(alpha)
    assert [line for line in lines if line[0] == "SO-1"] == [
        ("SO-1", "2025-03-02", "A002", "P02", Decimal(4), Decimal(40), None)
    ]
    # Orders not in the file stay as they were.
    assert [line[0] for line in lines].count("SO-2") == 1
    assert Order.objects.get(number="SO-4").lines.count() == 1


def test_a_dry_run_reports_what_would_change_and_writes_nothing(alpha, tmp_path):
    outcome = run(write_csv(tmp_path / "orders.csv", [HEADER, *ROWS]), alpha, write=False)

    assert outcome.ok
    assert outcome.summary.new == 4
    assert state(alpha) == (0, 0, [])


def test_an_exported_file_imports_back_unchanged(alpha, tmp_path):
    run(write_csv(tmp_path / "orders.csv", [HEADER, *ROWS]), alpha)
    before = state(alpha)
    for name in ("export.csv", "export.xlsx"):
        assert export_file("orders", tmp_path / name, company=alpha) == 4

        outcome = run(tmp_path / name, alpha)

        assert outcome.ok, outcome.errors
        assert outcome.summary.unchanged == 4, name
        assert state(alpha) == before


def test_the_command_imports_and_reports(alpha, tmp_path, capsys):
    path = write_csv(tmp_path / "orders.csv", [HEADER, *ROWS])

    with translation.override("zh-hans"):
        call_command("import", "orders", str(path), "--company", "ALPHA")

    assert "订单：新增 3 笔，替换 0 笔" in capsys.readouterr().out
    assert OrderLine.objects.count() == 4


def test_orders_of_another_company_are_unknown_codes(personas, tmp_path):
    catalogue(personas.company)
    path = write_csv(tmp_path / "orders.csv", [HEADER, *ROWS])

    with pytest.raises(CommandError):
        call_command("import", "orders", str(path), "--company", "BETA")

    assert OrderLine.objects.count() == 0


def test_an_order_with_one_changed_line_is_replaced_and_the_others_stay(alpha, tmp_path):
    run(write_csv(tmp_path / "first.csv", [HEADER, *ROWS]), alpha)
    changed = [row[:] for row in ROWS]
    changed[1][5] = "301"  # SO-1's second line

    outcome = run(write_csv(tmp_path / "second.csv", [HEADER, *changed]), alpha)

    assert (outcome.summary.new, outcome.summary.updated, outcome.summary.unchanged) == (0, 2, 2)
    assert ("SO-1", "2025-03-01", "A001", "P03", Decimal(2), Decimal(301), None) in stored_lines(
        alpha
    )
    assert OrderLine.objects.count() == 4
