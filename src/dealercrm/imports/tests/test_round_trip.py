import csv

import pytest
from django.core.management import call_command

from dealercrm.core.birthdays import Birthday
from dealercrm.core.models import AuditEntry, AuditSource
from dealercrm.customers import services
from dealercrm.customers.choices import ContactRole, CustomerKind
from dealercrm.customers.models import Customer
from dealercrm.imports.tests.helpers import database_state, read_csv
from dealercrm.regions.models import SalesRegion
from dealercrm.testing import make_customer

SYSTEM = AuditSource.SYSTEM


@pytest.fixture
def full_files(personas):
    """Customers with every section filled, a parent, contacts and brands."""
    company = personas.company
    region = SalesRegion.objects.create(company=company, name="东乡片")
    distributor = make_customer(
        company,
        rep=personas.rep,
        code="D100",
        name="鑫源批发部",
        kind=CustomerKind.DISTRIBUTOR,
        channel="wholesale",
        sales_region=region,
        address="书院路18号",
        phone="+8637766212345",
        staff_count=8,
        business_area="120.5",
        capital="500000.00",
        indoor_ads=True,
        outdoor_ads=False,
        latitude="32.520000",
        longitude="112.360000",
    )
    owner = services.save_contact(
        distributor,
        actor=None,
        source=SYSTEM,
        fields={
            "role": ContactRole.OWNER,
            "name": "王建国",
            "mobile": "+8613937712345",
            "hobbies": "钓鱼",
            "education": "高中",
        },
    )
    owner.birthday = Birthday.parse("农历闰四月初八")
    owner.save()
    services.save_contact(
        distributor,
        actor=None,
        source=SYSTEM,
        fields={
            "role": ContactRole.CONTACT,
            "is_primary": True,
            "name": "李娜",
            "phone": "+8637766210000",
        },
    )
    for brand in ("金龙鱼", "鲁花"):
        services.save_carried_product(
            distributor, actor=None, source=SYSTEM, fields={"brand": brand}
        )
    services.save_carried_product(
        distributor,
        actor=None,
        source=SYSTEM,
        fields={"brand": "鲁花", "product": "5L 花生油", "price": "139.00"},
    )
    make_customer(
        company,
        code="T200",
        name="好又多超市",
        parent=distributor,
        channel="ka",
        rep=personas.other_rep,
    )
    return distributor


def _values():
    return {
        c.code: (
            c.name,
            c.kind,
            c.channel,
            c.parent_id,
            c.rep_id,
            c.sales_region_id,
            c.province_id,
            c.county_id,
            c.address,
            c.phone,
            c.capital,
            c.business_area,
            c.latitude,
            c.updated_at,
        )
        for c in Customer.objects.all()
    }


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_reimporting_an_export_changes_nothing(personas, full_files, tmp_path, extension):
    path = tmp_path / f"customers.{extension}"
    call_command("export", "customers", str(path), "--company", "ALPHA")
    before, values = database_state(), _values()
    call_command("import", "customers", str(path), "--company", "ALPHA")
    assert database_state() == before
    assert _values() == values


def test_editing_one_cell_of_an_export_changes_exactly_that(personas, full_files, tmp_path):
    path = tmp_path / "customers.csv"
    call_command("export", "customers", str(path), "--company", "ALPHA")
    rows = read_csv(path)
    header = rows[0]
    row = next(r for r in rows if r[0] == "D100")
    row[header.index("爱好")] = "钓鱼、下象棋"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    audit_before = set(AuditEntry.objects.values_list("pk", flat=True))

    call_command("import", "customers", str(path), "--company", "ALPHA", "--user", "clerk")

    new_entries = AuditEntry.objects.exclude(pk__in=audit_before)
    assert [(e.object_type, e.action, e.changes, e.actor) for e in new_entries] == [
        ("contact", "update", {"hobbies": ["钓鱼", "钓鱼、下象棋"]}, personas.clerk)
    ]
    assert full_files.contacts.get(role="owner").hobbies == "钓鱼、下象棋"


def test_the_export_writes_the_import_columns_and_the_class(personas, full_files, tmp_path):
    path = tmp_path / "customers.csv"
    call_command("export", "customers", str(path), "--company", "ALPHA")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = read_csv(path)
    header = rows[0]
    assert header[:3] == ["客户编码", "客户名称", "客户类型"]
    assert header[-3:] == ["纬度", "经度", "客户等级"]
    cells = dict(zip(header, next(r for r in rows if r[0] == "D100"), strict=True))
    assert cells["客户类型"] == "分销商"
    assert cells["渠道"] == "批发档口"
    assert cells["销售区域"] == "东乡片"
    assert cells["电话"] == "0377 6621 2345"
    assert cells["负责人生日"] == "农历闰四月初八"
    assert cells["经营品牌"] == "金龙鱼、鲁花"
    assert (cells["店内广告"], cells["户外广告"]) == ("是", "否")
    assert cells["负责业务员"] == "alice"
    assert cells["联系人"] == "李娜"
    child = dict(zip(header, next(r for r in rows if r[0] == "T200"), strict=True))
    assert child["上级客户编码"] == "D100"
    assert child["渠道"] == "商超/KA"
