"""Importing and exporting the catalogue: `dealercrm import products` and the export round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from dealercrm.imports.tests.helpers import read_csv, write_csv, write_xlsx
from dealercrm.products.models import Brand, Manufacturer, Product
from dealercrm.products.testing import make_product

HEADER = ["产品编码*", "产品名称*", "品牌*", "厂家", "规格", "单价", "竞品"]
ROWS = [
    ["P001", "鲁花5S压榨花生油", "鲁花", "山东鲁花集团", "5L", "139.90", "否"],
    ["P002", "鲁花花生油", "鲁花", "", "1.8L", "59", ""],
    ["P003", "金龙鱼调和油", "金龙鱼", "益海嘉里", "5L", "69.9元", "是"],
    ["P004", "福临门大豆油", "福临门", "中粮", "", "", "是"],
]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language; Chinese is the default)."""
    with translation.override("en"):
        yield


def _import(path, *extra: str) -> None:
    call_command("import", "products", str(path), "--company", "ALPHA", *extra)


def _state(company) -> list[tuple]:
    """Everything a product import may change, as a user of the catalogue pages sees it."""
    return [
        sorted(
            Product.objects.filter(company=company).values_list(
                "code", "name", "brand__name", "spec", "price"
            )
        ),
        sorted(
            Brand.objects.filter(company=company).values_list(
                "name", "manufacturer__name", "is_competitor"
            ),
            key=str,
        ),
        sorted(Manufacturer.objects.filter(company=company).values_list("name", flat=True)),
    ]


def _failing_import(path, capsys) -> str:
    with pytest.raises(CommandError, match="nothing was imported"):
        _import(path)
    return capsys.readouterr().err


def test_import_creates_products_brands_and_manufacturers(personas, tmp_path, capsys):
    _import(write_csv(tmp_path / "p.csv", [HEADER, *ROWS]))

    assert "4 rows: 4 new, 0 updated, 0 unchanged." in capsys.readouterr().out
    products, brands, makers = _state(personas.company)
    assert products == [
        ("P001", "鲁花5S压榨花生油", "鲁花", "5L", Decimal("139.90")),
        ("P002", "鲁花花生油", "鲁花", "1.8L", Decimal("59.00")),
        ("P003", "金龙鱼调和油", "金龙鱼", "5L", Decimal("69.90")),
        ("P004", "福临门大豆油", "福临门", "", None),
    ]
    assert sorted(brands) == [
        ("福临门", "中粮", True),
        ("金龙鱼", "益海嘉里", True),
        ("鲁花", "山东鲁花集团", False),
    ]
    assert makers == ["中粮", "山东鲁花集团", "益海嘉里"]
    assert Product.objects.filter(company=personas.outsider_company).count() == 0


def test_english_headers_and_xlsx_are_accepted(personas, tmp_path):
    header = ["code", "name", "brand", "manufacturer", "spec", "price", "competitor"]
    _import(write_xlsx(tmp_path / "p.xlsx", [header, ["P9", "测试油", "鲁花", "", "", 12.5, "否"]]))

    product = Product.objects.get(company=personas.company, code="P9")
    assert (product.name, product.brand.name, product.price) == ("测试油", "鲁花", Decimal("12.50"))


def test_import_updates_existing_codes_and_counts_unchanged_rows(personas, tmp_path, capsys):
    make_product(personas.company, "P001", name="鲁花5S压榨花生油", brand="鲁花", price="139.90")
    make_product(personas.company, "P002", name="旧名字", brand="鲁花", price="50")
    rows = [[*HEADER[:3], "规格", "单价"], ["P001", "鲁花5S压榨花生油", "鲁花", "", "139.9"]]
    rows.append(["P002", "鲁花花生油", "鲁花", "1.8L", "59"])
    rows.append(["P005", "新产品", "鲁花", "", ""])
    _import(write_csv(tmp_path / "p.csv", rows))

    assert "3 rows: 1 new, 1 updated, 1 unchanged." in capsys.readouterr().out
    updated = Product.objects.get(company=personas.company, code="P002")
    assert (updated.name, updated.spec, updated.price) == ("鲁花花生油", "1.8L", Decimal("59.00"))
    assert Product.objects.filter(company=personas.company).count() == 3


def test_missing_columns_leave_values_alone(personas, tmp_path):
    make_product(personas.company, "P001", name="旧名", brand="鲁花", price="10", spec="5L")
    _import(
        write_csv(tmp_path / "p.csv", [["产品编码", "产品名称", "品牌"], ["P001", "新名", "鲁花"]])
    )

    product = Product.objects.get(company=personas.company, code="P001")
    assert (product.name, product.spec, product.price) == ("新名", "5L", Decimal("10.00"))


def test_dry_run_reports_and_writes_nothing(personas, tmp_path, capsys):
    _import(write_csv(tmp_path / "p.csv", [HEADER, *ROWS]), "--dry-run")

    out = capsys.readouterr().out
    assert "4 rows: 4 new, 0 updated, 0 unchanged." in out
    assert "Dry run" in out
    assert _state(personas.company) == [[], [], []]


def test_a_stored_brand_without_manufacturer_gets_the_files(personas, tmp_path):
    make_product(personas.company, "P001", name="鲁花花生油", brand="鲁花")
    _import(write_csv(tmp_path / "p.csv", [HEADER[:4], ["P001", "鲁花花生油", "鲁花", "鲁花集团"]]))

    assert Brand.objects.get(company=personas.company, name="鲁花").manufacturer.name == "鲁花集团"


def test_export_then_import_changes_nothing(personas, tmp_path, capsys):
    _import(write_csv(tmp_path / "p.csv", [HEADER, *ROWS]))
    make_product(personas.company, "Q1", name="=SUM(A1)", brand="自有", price="0.05")
    before = _state(personas.company)
    capsys.readouterr()

    for name in ("out.csv", "out.xlsx"):
        call_command("export", "products", str(tmp_path / name), "--company", "ALPHA")
        _import(tmp_path / name)
        assert "5 rows: 0 new, 0 updated, 5 unchanged." in capsys.readouterr().out
        assert _state(personas.company) == before

    exported = read_csv(tmp_path / "out.csv")
    assert exported[0] == ["产品编码", "产品名称", "品牌", "厂家", "规格", "单价", "竞品"]
    assert exported[1] == ["P001", "鲁花5S压榨花生油", "鲁花", "山东鲁花集团", "5L", "139.90", "否"]


def test_export_holds_only_the_companys_products(personas, tmp_path):
    make_product(personas.company, "P1", name="阿尔法油")
    make_product(personas.outsider_company, "P2", name="贝塔秘密油")
    call_command("export", "products", str(tmp_path / "out.csv"), "--company", "ALPHA")

    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "阿尔法油" in text and "贝塔秘密油" not in text


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["P1", "", "鲁花", "", "", "", ""], "Row 2, 产品名称: This column is required."),
        (["P1", "油", "鲁花", "", "", "十块", ""], "Row 2, 单价: “十块” is not a number."),
        (["P1", "油", "鲁花", "", "", "", "也许"], "Row 2, 竞品: “也许” is not 是 or 否."),
        (["P1", "油", "", "", "", "", ""], "Row 2, 品牌: This column is required."),
    ],
)
def test_a_bad_cell_names_row_and_column_and_changes_nothing(
    personas, tmp_path, capsys, row, expected
):
    make_product(personas.company, "P0", name="原有", brand="鲁花")
    before = _state(personas.company)
    good = ["P2", "好产品", "新品牌", "新厂家", "", "1", "否"]

    err = _failing_import(write_csv(tmp_path / "p.csv", [HEADER, row, good]), capsys)

    assert expected in err
    assert _state(personas.company) == before


def test_an_unknown_column_is_refused(personas, tmp_path, capsys):
    err = _failing_import(
        write_csv(
            tmp_path / "p.csv", [[*HEADER, "颜色"], ["P1", "油", "鲁花", "", "", "", "", "红"]]
        ),
        capsys,
    )
    assert "Row 1, 颜色: Unknown column “颜色”." in err
    assert _state(personas.company) == [[], [], []]


def test_a_code_twice_in_the_file_is_refused(personas, tmp_path, capsys):
    rows = [HEADER, ["P1", "油", "鲁花", "", "", "", ""], ["P1", "油2", "鲁花", "", "", "", ""]]
    err = _failing_import(write_csv(tmp_path / "p.csv", rows), capsys)

    assert "Row 3, 产品编码: Product code “P1” is already on row 2." in err
    assert _state(personas.company) == [[], [], []]


def test_two_rows_disagreeing_about_a_brand_are_refused(personas, tmp_path, capsys):
    rows = [
        HEADER,
        ["P1", "油", "金龙鱼", "益海嘉里", "", "", "是"],
        ["P2", "油2", "金龙鱼", "中粮", "", "", "否"],
    ]
    err = _failing_import(write_csv(tmp_path / "p.csv", rows), capsys)

    assert "Row 3, 竞品: Brand “金龙鱼” is marked 是 on row 2." in err
    assert "Row 3, 厂家: Brand “金龙鱼” is made by “益海嘉里” on row 2." in err
    assert _state(personas.company) == [[], [], []]


def test_a_row_contradicting_a_stored_brand_is_refused(personas, tmp_path, capsys):
    make_product(personas.company, "P0", name="原有", brand="金龙鱼", is_competitor=True)
    before = _state(personas.company)
    rows = [HEADER, ["P1", "油", "金龙鱼", "", "", "", "否"]]

    err = _failing_import(write_csv(tmp_path / "p.csv", rows), capsys)

    assert (
        "Row 2, 竞品: Brand “金龙鱼” is a competitor’s brand; change that on the brand page" in err
    )
    assert _state(personas.company) == before


def test_a_blank_competitor_cell_keeps_the_stored_flag(personas, tmp_path):
    make_product(personas.company, "P0", name="原有", brand="金龙鱼", is_competitor=True)
    _import(write_csv(tmp_path / "p.csv", [HEADER, ["P1", "油", "金龙鱼", "", "", "", ""]]))

    assert Brand.objects.get(company=personas.company, name="金龙鱼").is_competitor is True


def test_another_companys_codes_and_brands_are_not_touched(personas, tmp_path):
    theirs = make_product(personas.outsider_company, "P001", name="贝塔油", brand="鲁花", price="5")
    _import(write_csv(tmp_path / "p.csv", [HEADER, *ROWS]))

    theirs.refresh_from_db()
    assert (theirs.name, theirs.price, theirs.brand.manufacturer_id) == (
        "贝塔油",
        Decimal("5.00"),
        None,
    )
    assert Brand.objects.filter(company=personas.outsider_company).count() == 1


def test_import_runs_a_fixed_number_of_queries(personas, tmp_path, django_assert_max_num_queries):
    rows = [HEADER] + [
        [f"P{n:04d}", f"产品{n}", f"品牌{n % 7}", f"厂家{n % 7 % 3}", "", str(n), ""]
        for n in range(300)
    ]
    path = write_csv(tmp_path / "p.csv", rows)
    with django_assert_max_num_queries(20):
        _import(path)
    rows = [HEADER] + [
        [f"P{n:04d}", f"产品{n}改", f"品牌{n % 7}", "", "", str(n), ""] for n in range(300)
    ]
    path = write_csv(tmp_path / "p2.csv", rows)
    with django_assert_max_num_queries(20):
        _import(path)
    assert Product.objects.filter(company=personas.company, name__endswith="改").count() == 300


def test_user_without_permission_may_not_import(personas, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, *ROWS])
    with pytest.raises(CommandError, match="may not"):
        _import(path, "--user", "alice")
    _import(path, "--user", "clerk")
    assert Product.objects.filter(company=personas.company).count() == 4
