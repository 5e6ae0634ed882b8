import pytest
from django.utils import translation

from dealercrm.imports.services import import_file
from dealercrm.imports.tests.helpers import write_csv
from dealercrm.sales.tests.helpers import HEADER, catalogue, state

GOOD = ["SO-1", "2025-03-01", "A001", "P01", "10", "1200.50", "900"]


@pytest.fixture
def alpha(personas, tmp_path):
    catalogue(personas.company)
    # One order already stored: a bad file must leave it alone.
    import_file(
        "orders",
        write_csv(tmp_path / "old.csv", [HEADER, GOOD]),
        company=personas.company,
        write=True,
    )
    return personas.company


def errors_of(alpha, tmp_path, rows, header=HEADER):
    before = state(alpha)
    with translation.override("en"):
        outcome = import_file(
            "orders", write_csv(tmp_path / "bad.csv", [header, *rows]), company=alpha, write=True
        )
    assert not outcome.ok
    assert state(alpha) == before
    return [(error.row, error.column, error.message) for error in outcome.errors]


def test_an_unknown_customer_code_is_named_by_row_and_column(alpha, tmp_path):
    rows = [GOOD, ["SO-2", "2025-03-01", "NOPE", "P01", "1", "5", ""]]

    assert errors_of(alpha, tmp_path, rows) == [(3, "客户编码", "No customer with code “NOPE”.")]


def test_another_reps_customer_is_not_unknown_but_another_companys_is(personas, alpha, tmp_path):
    from dealercrm.testing import make_customer

    make_customer(personas.outsider_company, code="BETA1", name="外人客户")
    rows = [["SO-2", "2025-03-01", "BETA1", "P01", "1", "5", ""]]

    assert errors_of(alpha, tmp_path, rows) == [(2, "客户编码", "No customer with code “BETA1”.")]


def test_an_unknown_product_code_is_named(alpha, tmp_path):
    rows = [["SO-2", "2025-03-01", "A001", "P99", "1", "5", ""]]

    assert errors_of(alpha, tmp_path, rows) == [(2, "产品编码", "No product with code “P99”.")]


def test_a_bad_date_is_named(alpha, tmp_path):
    rows = [GOOD, GOOD, ["SO-2", "2025-02-30", "A001", "P01", "1", "5", ""]]

    [(row, column, message)] = errors_of(alpha, tmp_path, rows)

    assert (row, column) == (4, "日期")
    assert "2024-03-15" in message


def test_a_non_numeric_amount_and_a_blank_quantity_are_named(alpha, tmp_path):
    rows = [["SO-2", "2025-03-01", "A001", "P01", "", "abc", "12x"]]

    assert errors_of(alpha, tmp_path, rows) == [
        (2, "数量", "This column is required."),
        (2, "金额", "Not a number."),
        (2, "成本", "Not a number."),
    ]


def test_rows_of_one_order_must_agree_on_date_and_customer(alpha, tmp_path):
    rows = [
        ["SO-2", "2025-03-01", "A001", "P01", "1", "5", ""],
        ["SO-2", "2025-03-02", "A002", "P02", "1", "5", ""],
    ]

    assert errors_of(alpha, tmp_path, rows) == [
        (3, "日期", "Order SO-2 is dated 2025-03-01 on row 2."),
        (3, "客户编码", "Order SO-2 is for another customer on row 2."),
    ]


def test_an_unknown_or_missing_column_is_refused(alpha, tmp_path):
    header = ["单号", "日期", "客户编码", "产品编码", "数量", "单价"]

    assert errors_of(alpha, tmp_path, [GOOD[:6]], header=header) == [
        (1, "单价", "Unknown column “单价”."),
        (1, "金额", "The required column “金额” is missing."),
    ]


def test_a_value_outside_the_header_is_refused(alpha, tmp_path):
    rows = [[*GOOD, "", "stray"]]

    assert errors_of(alpha, tmp_path, rows) == [(2, "", "A value in a column without a header.")]
