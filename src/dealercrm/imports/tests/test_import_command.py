import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dealercrm.core.models import AuditEntry
from dealercrm.customers.models import Assignment, Customer
from dealercrm.imports.tests.helpers import database_state, write_csv, write_xlsx

HEADER = [
    "客户编码*",
    "客户名称*",
    "客户类型",
    "渠道",
    "上级客户编码",
    "销售区域",
    "省",
    "市",
    "区县",
    "详细地址",
    "电话",
    "负责人",
    "负责人手机",
    "联系人",
    "联系人手机",
    "经营品牌",
    "店内广告",
    "户外广告",
    "员工人数",
    "资金实力",
    "负责人生日",
    "爱好",
    "负责业务员",
]
GOOD_ROWS = [
    [
        "B001",
        "新野鑫源副食批发部",
        "分销商",
        "批发档口",
        "",
        "城区片",
        "",
        "",
        "",
        "河南省南阳市新野县书院路18号",
        "0377-66212345",
        "王建国",
        "13937712345",
        "李娜",
        "15837754321",
        "金龙鱼、鲁花,福临门",
        "是",
        "否",
        "6",
        "50万",
        "1975-08-15",
        "钓鱼",
        "alice",
    ],
    [
        "B002",
        "汉城路好又多超市",
        "终端",
        "商超/KA",
        "B001",
        "城区片",
        "河南省",
        "南阳市",
        "新野县",
        "汉城路66号",
        "",
        "赵丽",
        "13700001111",
        "",
        "",
        "鲁花",
        "有",
        "无",
        "12",
        "80000",
        "农历八月十五",
        "",
        "bob",
    ],
]


def _import(path, *extra):
    call_command("import", "customers", str(path), "--company", "ALPHA", *extra)


def _assert_good_import(personas):
    first = Customer.objects.get(company=personas.company, code="B001")
    assert first.name == "新野鑫源副食批发部"
    assert first.kind == "distributor" and first.channel == "wholesale"
    assert first.sales_region.name == "城区片"
    assert (first.province.name, first.city.name, first.county.name) == (
        "河南省",
        "南阳市",
        "新野县",
    )
    assert first.phone == "+8637766212345"
    assert first.indoor_ads is True and first.outdoor_ads is False
    assert first.staff_count == 6
    assert first.capital == Decimal("500000.00")
    assert first.rep == personas.rep
    owner = first.contacts.get(role="owner")
    assert (owner.name, owner.mobile, owner.birthday_text, owner.hobbies) == (
        "王建国",
        "+8613937712345",
        "1975-08-15",
        "钓鱼",
    )
    contact = first.contacts.get(is_primary=True)
    assert (contact.role, contact.name, contact.mobile) == ("contact", "李娜", "+8615837754321")
    assert sorted(first.carried_products.values_list("brand", flat=True)) == sorted(
        ["金龙鱼", "鲁花", "福临门"]
    )
    assert Assignment.objects.get(customer=first, ended_at__isnull=True).rep == personas.rep
    assert first.completeness > 0
    assert "xyxy" in first.search_text  # pinyin initials of 新野鑫源…

    second = Customer.objects.get(company=personas.company, code="B002")
    assert second.parent == first
    assert second.rep == personas.other_rep
    assert second.contacts.get(role="owner").birthday_text == "农历八月十五"
    assert second.indoor_ads is True and second.outdoor_ads is False


def test_a_good_csv_creates_customers_contacts_brands_and_assignments(personas, tmp_path):
    _import(write_csv(tmp_path / "customers.csv", [HEADER, *GOOD_ROWS]))
    _assert_good_import(personas)
    created = AuditEntry.objects.filter(source="import", action="create")
    assert created.filter(object_type="customer").count() == 2


def test_a_good_xlsx_imports_the_same(personas, tmp_path):
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][20] = dt.datetime(1975, 8, 15)  # an Excel date cell
    rows[0][18] = 6  # numbers as numbers
    _import(write_xlsx(tmp_path / "customers.xlsx", [HEADER, *rows]))
    _assert_good_import(personas)


def test_a_gb18030_csv_from_excel_in_china_imports(personas, tmp_path):
    _import(write_csv(tmp_path / "customers.csv", [HEADER, *GOOD_ROWS], encoding="gb18030"))
    _assert_good_import(personas)


def test_a_dry_run_summarises_and_writes_nothing(personas, tmp_path, capsys):
    before = database_state()
    _import(write_csv(tmp_path / "c.csv", [HEADER, *GOOD_ROWS]), "--dry-run")
    assert database_state() == before
    out = capsys.readouterr().out
    assert "2" in out and "城区片" in out


def test_the_import_records_the_user_given(personas, tmp_path):
    _import(write_csv(tmp_path / "c.csv", [HEADER, *GOOD_ROWS]), "--user", "clerk")
    entry = AuditEntry.objects.get(
        object_type="customer", action="create", object_repr__contains="B001"
    )
    assert entry.actor == personas.clerk and entry.source == "import"


def test_the_import_command_refuses_a_rep_an_unknown_company_and_a_missing_file(personas, tmp_path):
    path = write_csv(tmp_path / "c.csv", [HEADER, *GOOD_ROWS])
    before = database_state()
    for extra in (["--company", "ALPHA", "--user", "alice"], ["--company", "NOPE"]):
        with pytest.raises(CommandError):
            call_command("import", "customers", str(path), *extra)
    with pytest.raises(CommandError):
        _import(tmp_path / "missing.csv")
    assert database_state() == before
