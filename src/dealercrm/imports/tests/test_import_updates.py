import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from dealercrm.core.models import AuditEntry, AuditSource
from dealercrm.customers import importing, services
from dealercrm.customers.choices import ContactRole, CustomerKind
from dealercrm.customers.models import Assignment, Customer
from dealercrm.imports.services import import_file
from dealercrm.imports.tests.helpers import database_state, write_csv
from dealercrm.regions.models import SalesRegion

SYSTEM = AuditSource.SYSTEM


def _import(path, *extra):
    call_command("import", "customers", str(path), "--company", "ALPHA", *extra)


def _errors(path, capsys):
    with translation.override("en"), pytest.raises(CommandError):
        _import(path)
    return capsys.readouterr().err


def _new_entries(since):
    return list(AuditEntry.objects.exclude(pk__in=since).order_by("id"))


def test_an_existing_code_is_updated_and_missing_columns_are_left_alone(personas, tmp_path):
    phone = Customer.objects.get(pk=personas.rep_customer.pk).phone
    since = set(AuditEntry.objects.values_list("pk", flat=True))
    _import(write_csv(tmp_path / "c.csv", [["客户编码", "客户名称"], ["A001", "华鑫超市(总店)"]]))
    customer = Customer.objects.get(pk=personas.rep_customer.pk)
    assert customer.name == "华鑫超市(总店)"
    assert customer.phone == phone and customer.address.startswith("河南省")
    assert customer.rep == personas.rep
    assert [(e.action, e.changes) for e in _new_entries(since)] == [
        ("update", {"name": ["华鑫超市", "华鑫超市(总店)"]})
    ]
    assert "huaxinchaoshi" in customer.search_text and "zongdian" in customer.search_text


def test_a_blank_cell_clears_the_value_of_its_column(personas, tmp_path):
    _import(
        write_csv(tmp_path / "c.csv", [["客户编码", "客户名称", "电话"], ["A001", "华鑫超市", ""]])
    )
    assert Customer.objects.get(pk=personas.rep_customer.pk).phone == ""


def test_brands_are_added_and_removed_and_detailed_rows_kept(personas, tmp_path):
    customer = personas.rep_customer
    for fields in ({"brand": "鲁花", "product": "5L", "price": "139.00"}, {"brand": "海天"}):
        services.save_carried_product(customer, actor=None, source=SYSTEM, fields=fields)
    kept = customer.carried_products.get(brand="鲁花")
    since = set(AuditEntry.objects.values_list("pk", flat=True))

    _import(
        write_csv(
            tmp_path / "c.csv",
            [["客户编码", "客户名称", "经营品牌"], ["A001", "华鑫超市", "鲁花、金龙鱼"]],
        )
    )

    carried = {item.brand: item for item in customer.carried_products.all()}
    assert sorted(carried) == ["金龙鱼", "鲁花"]
    assert carried["鲁花"].pk == kept.pk and carried["鲁花"].product == "5L"
    actions = sorted((e.object_type, e.action, e.object_repr) for e in _new_entries(since))
    assert actions == [("carriedproduct", "create", "金龙鱼"), ("carriedproduct", "delete", "海天")]


def test_a_new_rep_closes_the_old_assignment(personas, tmp_path):
    _import(
        write_csv(
            tmp_path / "c.csv",
            [["客户编码", "客户名称", "负责业务员"], ["A001", "华鑫超市", "bob"]],
        )
    )
    history = list(Assignment.objects.filter(customer=personas.rep_customer).order_by("started_at"))
    assert [a.rep for a in history] == [personas.rep, personas.other_rep]
    assert history[0].ended_at is not None and history[1].ended_at is None
    assert Customer.objects.get(pk=personas.rep_customer.pk).rep == personas.other_rep


def test_a_parent_later_in_the_file_and_in_a_later_batch_is_linked(personas, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    rows = [
        ["客户编码", "客户名称", "客户类型", "上级客户编码"],
        ["T1", "甲店", "终端", "D9"],
        ["A002", "红星便利店", "终端", "D9"],
        ["T3", "丙店", "终端", ""],
        ["T4", "丁店", "终端", "D9"],
        ["D9", "九号批发部", "分销商", ""],
    ]
    _import(write_csv(tmp_path / "c.csv", rows))
    parent = Customer.objects.get(company=personas.company, code="D9")
    children = Customer.objects.filter(parent=parent).values_list("code", flat=True)
    assert sorted(children) == ["A002", "T1", "T4"]
    entry = AuditEntry.objects.get(
        object_id=personas.other_rep_customer.pk, action="update", source="import"
    )
    assert entry.changes == {"parent": ["", "九号批发部 (D9)"]}
    created = AuditEntry.objects.get(
        object_type="customer", action="create", object_repr__contains="T1"
    )
    assert created.changes["parent"] == ["", "九号批发部 (D9)"]


def test_a_chain_of_parents_named_before_their_rows_is_linked(personas, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    rows = [
        ["客户编码", "客户名称", "客户类型", "上级客户编码"],
        ["T1", "甲店", "终端", "D9"],
        ["D9", "九号批发部", "分销商", "D8"],
        ["D8", "八号批发部", "分销商", ""],
    ]
    _import(write_csv(tmp_path / "c.csv", rows))
    parents = dict(
        Customer.objects.filter(code__in=["T1", "D9", "D8"]).values_list("code", "parent__code")
    )
    assert parents == {"T1": "D9", "D9": "D8", "D8": None}
    created = AuditEntry.objects.get(object_type="customer", object_repr__contains="(D9)")
    assert created.changes["parent"] == ["", "八号批发部 (D8)"]


def test_a_parent_loop_is_refused(personas, tmp_path, capsys):
    rows = [
        ["客户编码", "客户名称", "客户类型", "上级客户编码"],
        ["D1", "一批", "分销商", "D2"],
        ["D2", "二批", "分销商", "D1"],
    ]
    err = _errors(write_csv(tmp_path / "c.csv", rows), capsys)
    assert "Row 2, 上级客户编码" in err and "loops" in err


def test_an_unknown_sales_region_is_created_on_commit_only(personas, tmp_path, capsys):
    path = write_csv(
        tmp_path / "c.csv", [["客户编码", "客户名称", "销售区域"], ["N1", "新店", "北关片"]]
    )
    _import(path, "--dry-run")
    assert "北关片" in capsys.readouterr().out
    assert not SalesRegion.objects.filter(name="北关片").exists()
    _import(path)
    region = SalesRegion.objects.get(company=personas.company, name="北关片")
    assert region.parent is None
    assert Customer.objects.get(company=personas.company, code="N1").sales_region == region


def test_divisions_by_name_or_code_and_from_a_new_address(personas, tmp_path, capsys):
    rows = [
        ["客户编码", "客户名称", "省", "市", "区县", "详细地址"],
        ["N1", "甲", "河南", "南阳市", "新野县", "书院路1号"],
        ["N2", "乙", "410000", "", "410105", ""],
        ["N3", "丙", "", "", "", "湖北省武汉市江汉区解放大道1号"],
    ]
    _import(write_csv(tmp_path / "c.csv", rows))
    found = {
        c.code: (c.province_id, c.city_id, c.county_id)
        for c in Customer.objects.filter(code__in=["N1", "N2", "N3"])
    }
    assert found == {
        "N1": ("410000", "411300", "411329"),
        "N2": ("410000", "410100", "410105"),
        "N3": ("420000", "420100", "420103"),
    }
    bad = [["客户编码", "客户名称", "省", "区县"], ["N4", "丁", "河南省", "不存在县"]]
    assert "Row 2, 区县" in _errors(write_csv(tmp_path / "bad.csv", bad), capsys)


def test_an_unchanged_address_does_not_refill_divisions_left_empty(personas, tmp_path):
    # 华鑫超市's address names its county, but its divisions were never filled.
    rows = [
        ["客户编码", "客户名称", "详细地址"],
        ["A001", "华鑫超市", "河南省南阳市新野县汉城路1号"],
    ]
    outcome = import_file(
        "customers", write_csv(tmp_path / "c.csv", rows), company=personas.company, write=True
    )
    assert (outcome.summary.updated, outcome.summary.unchanged) == (0, 1)
    assert Customer.objects.get(pk=personas.rep_customer.pk).county_id is None


def test_owner_details_need_a_name_unless_the_owner_is_on_file(personas, tmp_path, capsys):
    services.save_contact(
        personas.rep_customer,
        actor=None,
        source=SYSTEM,
        fields={"role": ContactRole.OWNER, "name": "王老板"},
    )
    rows = [
        ["客户编码", "客户名称", "爱好"],
        ["A001", "华鑫超市", "钓鱼"],
        ["A002", "红星便利店", "下棋"],
    ]
    err = _errors(write_csv(tmp_path / "c.csv", rows), capsys)
    assert err.splitlines() == [
        "Row 3, 负责人: Give the name: this row has 爱好 for this person.",
    ]
    _import(write_csv(tmp_path / "ok.csv", rows[:2]))
    assert personas.rep_customer.contacts.get(role="owner").hobbies == "钓鱼"


def test_a_blank_owner_name_keeps_the_owner_on_file(personas, tmp_path):
    services.save_contact(
        personas.rep_customer,
        actor=None,
        source=SYSTEM,
        fields={"role": ContactRole.OWNER, "name": "王老板", "hobbies": "钓鱼"},
    )
    _import(
        write_csv(
            tmp_path / "c.csv",
            [["客户编码", "客户名称", "负责人", "爱好"], ["A001", "华鑫超市", "", ""]],
        )
    )
    owner = personas.rep_customer.contacts.get(role="owner")
    assert (owner.name, owner.hobbies) == ("王老板", "")


def test_a_dry_run_counts_new_updated_and_unchanged(personas, tmp_path):
    rows = [
        ["客户编码", "客户名称", "客户类型"],
        ["A001", "华鑫超市", "终端"],
        ["A002", "红星便利店(新)", "终端"],
        ["N1", "新店", "分销商"],
    ]
    before = database_state()
    outcome = import_file(
        "customers", write_csv(tmp_path / "c.csv", rows), company=personas.company, write=False
    )
    assert database_state() == before
    summary = outcome.summary
    assert (summary.rows, summary.new, summary.updated, summary.unchanged) == (3, 1, 1, 1)
    assert summary.sample == [
        {"code": "N1", "name": "新店", "kind": "分销商", "address": "", "rep": ""}
    ]


def test_another_companys_codes_are_neither_updated_nor_parents(personas, tmp_path, capsys):
    # BETA has its own A001; ALPHA's import of a new code must not see BETA's customers.
    rows = [["客户编码", "客户名称", "上级客户编码"], ["N1", "新店", "B-ONLY"]]
    services.update_customer(
        personas.outsider_customer,
        actor=None,
        source=SYSTEM,
        fields={"code": "B-ONLY", "kind": CustomerKind.DISTRIBUTOR},
    )
    assert "Row 2, 上级客户编码" in _errors(write_csv(tmp_path / "c.csv", rows), capsys)
    _import(write_csv(tmp_path / "ok.csv", [["客户编码", "客户名称"], ["A001", "改名"]]))
    assert Customer.objects.get(pk=personas.outsider_customer.pk).name == "华鑫超市"
