"""The fast bulk writer stores what bulk_create stores; imports audit new rows fully."""

from decimal import Decimal

from django.utils import timezone

from dealercrm.core.audit import snapshot
from dealercrm.core.models import AuditAction, AuditEntry
from dealercrm.customers.models import CarriedProduct, Contact, Customer
from dealercrm.imports.bulk import Inserter, new
from dealercrm.imports.services import import_file
from dealercrm.imports.tests.helpers import write_csv

SKIPPED = {"id", "code", "created_at", "updated_at"}


def _fields(instance):
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
        if field.attname not in SKIPPED
    }


def test_inserted_customer_reads_back_as_a_bulk_created_one(personas):
    values = {
        "company_id": personas.company.pk,
        "name": "华鑫超市",
        "channel": "ka",
        "rep": personas.rep,
        "latitude": Decimal("32.512345"),
        "longitude": Decimal("112.400001"),
        "indoor_ads": True,
        "outdoor_ads": False,
        "staff_count": 7,
        "business_area": Decimal("120.5"),
        "capital": Decimal("500000"),
        "completeness": 40,
        "search_text": "华鑫超市 hxcs",
    }
    Customer.objects.bulk_create([Customer(code="REF", **values)])
    fast = new(Customer, code="FAST", **values)
    Inserter(Customer).insert_instances([fast], timezone.now())
    assert fast.pk is not None
    reference = Customer.objects.get(code="REF")
    written = Customer.objects.get(pk=fast.pk)
    assert _fields(written) == _fields(reference)
    assert written.created_at is not None and written.updated_at is not None


def test_new_rows_of_an_import_are_audited_with_every_filled_field(personas, tmp_path):
    path = write_csv(
        tmp_path / "new.csv",
        [
            [
                "客户编码",
                "客户名称",
                "电话",
                "负责人",
                "负责人手机",
                "经营品牌",
                "店内广告",
                "员工人数",
            ],
            ["N1", "华鑫超市", "0371-65123456", "张老板", "13812345678", "鑫源、康乐", "是", "5"],
        ],
    )
    outcome = import_file("customers", path, company=personas.company, write=True)
    assert outcome.ok, outcome.errors
    customer = Customer.objects.get(company=personas.company, code="N1")
    rows = [customer, *Contact.objects.filter(customer=customer)]
    rows += list(CarriedProduct.objects.filter(customer=customer))
    assert len(rows) == 4
    for row in rows:
        entry = AuditEntry.objects.get(
            action=AuditAction.CREATE, object_type=row._meta.model_name, object_id=row.pk
        )
        # Reference: every non-empty field of the stored row, a default "no" left out.
        expected = {
            name: ["", text]
            for name, text in snapshot(row).items()
            if text and not (text == "no" and name in {"is_primary", "birthday_leap"})
        }
        assert entry.changes == expected
        assert entry.file_id == customer.pk
        assert entry.object_repr == str(row)
