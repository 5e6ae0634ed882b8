from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dealercrm.core.birthdays import Birthday
from dealercrm.core.models import AuditEntry, AuditSource
from dealercrm.customers import services
from dealercrm.customers.choices import ContactRole, CustomerKind
from dealercrm.customers.models import Assignment, Customer
from dealercrm.testing import make_customer

WEB = AuditSource.WEB


def test_creating_a_customer_records_it_in_the_audit_trail(personas):
    customer = make_customer(personas.company, code="N1", name="新客户")
    entry = AuditEntry.objects.get(file_id=customer.pk, action="create")
    assert entry.changes["name"] == ["", "新客户"]


def test_changing_a_field_records_before_and_after_with_the_actor(personas):
    customer = personas.rep_customer
    services.update_customer(
        customer, actor=personas.rep, source=WEB, fields={"address": "新野县书院路9号"}
    )
    entry = AuditEntry.objects.filter(file_id=customer.pk, action="update").first()
    assert entry.actor == personas.rep
    assert entry.changes == {"address": ["河南省南阳市新野县汉城路1号", "新野县书院路9号"]}


def test_duplicate_code_in_the_same_company_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        make_customer(personas.company, code="A001", name="重复")
    assert "code" in error.value.message_dict


def test_the_same_code_may_exist_in_another_company(personas):
    assert personas.outsider_customer.code == personas.rep_customer.code


def test_parent_must_be_a_sub_distributor(personas):
    with pytest.raises(ValidationError) as error:
        make_customer(personas.company, code="T9", parent=personas.other_rep_customer)
    assert "parent" in error.value.message_dict


def test_reassigning_keeps_the_assignment_history(personas):
    customer = personas.rep_customer
    services.assign_rep(customer, personas.other_rep, actor=personas.manager, source=WEB)
    history = list(Assignment.objects.filter(customer=customer).order_by("started_at"))
    assert [a.rep for a in history] == [personas.rep, personas.other_rep]
    assert history[0].ended_at is not None and history[1].ended_at is None
    customer.refresh_from_db()
    assert customer.rep == personas.other_rep


def test_a_rep_of_another_company_cannot_own_a_customer(personas):
    with pytest.raises(ValidationError):
        services.assign_rep(
            personas.rep_customer, personas.outsider, actor=personas.boss, source=WEB
        )


def test_search_finds_by_initials_full_pinyin_chinese_and_phone(personas):
    visible = Customer.objects.visible_to(personas.boss)
    for query in ["hxcs", "huaxin", "华鑫", "13812345678", "A001", "汉城路"]:
        assert list(visible.search(query)) == [personas.rep_customer], query


def test_contact_personal_profile_raises_completeness(personas):
    customer = personas.rep_customer
    before = Customer.objects.get(pk=customer.pk).completeness
    contact = services.save_contact(
        customer,
        actor=personas.rep,
        source=WEB,
        fields={"role": ContactRole.OWNER, "name": "王老板", "mobile": "+8613700000000"},
    )
    contact.birthday = Birthday.parse("农历八月十五")
    services.save_contact(
        customer,
        actor=personas.rep,
        source=WEB,
        contact=contact,
        fields={
            "hobbies": "钓鱼",
            "birthday_calendar": contact.birthday_calendar,
            "birthday_month": 8,
            "birthday_day": 15,
        },
    )
    after = Customer.objects.get(pk=customer.pk).completeness
    assert after > before


def test_only_one_owner_per_customer(personas):
    fields = {"role": ContactRole.OWNER, "name": "甲"}
    services.save_contact(personas.rep_customer, actor=None, source=WEB, fields=fields)
    with pytest.raises(ValidationError):
        services.save_contact(
            personas.rep_customer, actor=None, source=WEB, fields=fields | {"name": "乙"}
        )


def test_decimal_fields_stay_exact(personas):
    customer = make_customer(
        personas.company, code="D1", kind=CustomerKind.DISTRIBUTOR, capital=Decimal("500000.10")
    )
    assert Customer.objects.get(pk=customer.pk).capital == Decimal("500000.10")


def test_filter_by_owner_username_and_completeness(personas):
    from dealercrm.customers.filters import CustomerFilter

    visible = Customer.objects.visible_to(personas.boss)
    mine = CustomerFilter(owner="alice").apply(visible, personas.company.pk)
    assert list(mine) == [personas.rep_customer]
    none_complete = CustomerFilter(completeness_min=101).apply(visible, personas.company.pk)
    assert not none_complete.exists()


def test_phones_are_stored_normalised_whichever_way_they_were_typed(personas):
    customer = make_customer(personas.company, code="P9", phone="0377-6612 3456")
    assert Customer.objects.get(pk=customer.pk).phone == "+8637766123456"
    with pytest.raises(ValidationError) as error:
        services.update_customer(customer, actor=None, source=WEB, fields={"phone": "95588"})
    assert "phone" in error.value.message_dict
