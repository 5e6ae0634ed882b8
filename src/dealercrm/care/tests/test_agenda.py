"""The daily agenda: lead time per class, anniversaries, follow-ups, visits, warnings,
complaints, what each role sees, done marks and a bounded number of queries."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from dealercrm.care import services
from dealercrm.care.models import CareRecord
from dealercrm.companies.services import company_zone
from dealercrm.reminders.services import add_follow_up
from dealercrm.visits.tests.helpers import assigned_on

from .helpers import (
    agenda_for,
    classed,
    company_agenda,
    complaint,
    kinds,
    names,
    score,
    with_birthday,
)

pytestmark = pytest.mark.django_db

# No festival is near: 端午 2027 is 06-09, 春节 and 元宵 are in February.
DAY = date(2027, 4, 20)


def at(company, day, hour):
    return datetime.combine(day, time(hour), tzinfo=company_zone(company))


@pytest.mark.parametrize(
    ("abc_class", "lead"),
    [("A", 3), ("B", 1), ("C", 0), ("", 0)],
)
def test_a_birthday_shows_from_the_class_lead_days_before_through_the_day(
    personas, abc_class, lead
):
    shop = classed(personas.company, "甲店", abc_class, rep=personas.rep)
    with_birthday(shop, "王老板", "1970-04-23", role="owner")
    birthday = date(2027, 4, 23)
    first = birthday - timedelta(days=lead)
    assert names(company_agenda(personas.company, first - timedelta(days=1)), "birthday") == []
    assert names(company_agenda(personas.company, first), "birthday") == ["甲店"]
    assert names(company_agenda(personas.company, birthday), "birthday") == ["甲店"]
    assert names(company_agenda(personas.company, birthday + timedelta(days=1)), "birthday") == []


def test_a_lunar_birthday_item_shows_the_solar_day_the_lunar_date_and_the_class_action(personas):
    shop = classed(personas.company, "华鑫", "A", rep=personas.rep)
    contact = with_birthday(shop, "王老板", "农历十月廿一", role="owner")
    # 农历十月廿一 of 2026 is 2026-11-29 (十月初一 is 2026-11-09).
    (item,) = kinds(company_agenda(personas.company, date(2026, 11, 27)), "birthday")
    assert item.due == date(2026, 11, 29)
    assert item.key == f"birthday:contact:{contact.pk}:2026-11-29"
    assert "王老板 (华鑫) birthday 11-29（农历十月廿一）" in item.text
    assert "class A" in item.text and "birthday gift" in item.text
    assert item.owner_id == personas.rep.pk
    assert item.link == f"/customers/{shop.pk}/"


def test_anniversaries_show_with_the_class_lead_days_when_the_policy_has_the_call(personas):
    a_shop = classed(personas.company, "甲店", "A", rep=personas.rep)
    b_shop = classed(personas.company, "乙店", "B", rep=personas.rep)
    score(a_shop, first_order=date(2020, 4, 23))
    score(b_shop, first_order=date(2020, 4, 20))
    items = kinds(company_agenda(personas.company, DAY), "anniversary")
    # B's default policy has no anniversary call.
    assert [(i.customer_name, i.due) for i in items] == [("甲店", date(2027, 4, 23))]
    assert "7 years of cooperation" in items[0].text
    assert names(company_agenda(personas.company, date(2027, 4, 19)), "anniversary") == []


def test_no_anniversary_in_the_year_of_the_first_order(personas):
    shop = classed(personas.company, "甲店", "A", rep=personas.rep)
    score(shop, first_order=date(2027, 4, 21))
    assert names(company_agenda(personas.company, DAY), "anniversary") == []


def never_visited_since_long_before(personas):
    """The personas' customers were assigned when the test ran: let them be overdue on DAY."""
    for customer in (personas.rep_customer, personas.other_rep_customer):
        assigned_on(customer, DAY - timedelta(days=60))


def test_follow_ups_visits_warnings_and_complaints_are_on_the_agenda(personas):
    never_visited_since_long_before(personas)
    shop = personas.rep_customer
    add_follow_up(shop, assignee=personas.rep, due_on=DAY, text="送样品", actor=personas.rep)
    score(shop, dormant=True, last_order=date(2026, 12, 1))
    score(personas.other_rep_customer, declining=True)
    complaint(shop, personas.rep, at(personas.company, DAY + timedelta(days=1), 17))
    complaint(
        personas.other_rep_customer,
        personas.other_rep,
        at(personas.company, DAY - timedelta(days=1), 17),
    )
    far = complaint(shop, personas.rep, at(personas.company, DAY + timedelta(days=3), 9))
    items = company_agenda(personas.company, DAY)
    (follow_up,) = kinds(items, "follow_up")
    assert "送样品" in follow_up.text and follow_up.owner_id == personas.rep.pk
    assert names(items, "visit") == ["华鑫超市", "红星便利店"]
    assert [i.key for i in kinds(items, "dormant")] == [f"dormant:customer:{shop.pk}:2026-12-01"]
    assert names(items, "declining") == ["红星便利店"]
    complaints = {i.customer_name: i for i in kinds(items, "complaint")}
    assert set(complaints) == {"华鑫超市", "红星便利店"}
    assert complaints["华鑫超市"].key.endswith(":deadline")
    assert complaints["红星便利店"].key.endswith(":overdue")
    assert f"complaint:{far.pk}:deadline" not in {i.key for i in items}
    order = [i.kind for i in items]
    assert order.index("follow_up") < order.index("visit") < order.index("complaint")


def make_everything(personas):
    never_visited_since_long_before(personas)
    for customer, rep in (
        (personas.rep_customer, personas.rep),
        (personas.other_rep_customer, personas.other_rep),
    ):
        with_birthday(customer, f"{customer.name}老板", "1970-04-20", role="owner")
        add_follow_up(customer, assignee=rep, due_on=DAY, text="回访", actor=rep)
        score(customer, dormant=True, declining=True, last_order=date(2026, 12, 1))
        complaint(customer, rep, at(personas.company, DAY, 20))
    outsider_shop = personas.outsider_customer
    with_birthday(outsider_shop, "外人", "1970-04-20", role="owner")
    score(outsider_shop, dormant=True)


def test_a_rep_sees_only_items_of_own_customers(personas):
    make_everything(personas)
    items = agenda_for(personas.rep, DAY)
    assert {i.customer_name for i in items} == {"华鑫超市"}
    assert {i.kind for i in items} == {
        "birthday",
        "follow_up",
        "visit",
        "dormant",
        "declining",
        "complaint",
    }


def test_the_manager_and_the_clerk_see_the_whole_company_and_may_pick_one_rep(personas):
    make_everything(personas)
    for user in (personas.manager, personas.clerk, personas.boss):
        items = agenda_for(user, DAY)
        for kind in ("birthday", "follow_up", "visit", "dormant", "complaint"):
            assert names(items, kind) == ["华鑫超市", "红星便利店"], (user, kind)
    bob_only = agenda_for(personas.manager, DAY, rep=personas.other_rep)
    assert {i.customer_name for i in bob_only} == {"红星便利店"}


def test_an_outsider_sees_nothing_of_another_company(personas):
    make_everything(personas)
    items = agenda_for(personas.outsider, DAY)
    assert {i.customer_name for i in items} == {"华鑫超市"}  # beta's own namesake
    assert all(i.customer_id == personas.outsider_customer.pk for i in items)


def test_done_marks_a_care_item_and_undo_brings_it_back(personas):
    shop = personas.rep_customer
    contact = with_birthday(shop, "王老板", "1970-04-20", role="owner")
    key = f"birthday:contact:{contact.pk}:2027-04-20"
    (item,) = kinds(agenda_for(personas.rep, DAY), "birthday")
    assert item.key == key and not item.done
    record = services.mark_done(personas.rep, key, "送了花")
    assert record.occasion == "birthday" and record.contact == contact and record.done_by
    services.mark_done(personas.rep, key)  # twice: still one record
    assert CareRecord.objects.filter(customer=shop).count() == 1
    (item,) = kinds(agenda_for(personas.manager, DAY), "birthday")
    assert item.done
    assert services.undo_done(personas.rep, key) == 1
    (item,) = kinds(agenda_for(personas.rep, DAY), "birthday")
    assert not item.done


def test_a_festival_done_mark_is_per_customer(personas):
    spring = {f.code: f for f in services.festivals(personas.company)}["spring"]
    key = f"festival:{spring.pk}:customer:{personas.rep_customer.pk}:2026-02-17"
    services.mark_done(personas.rep, key)
    items = kinds(company_agenda(personas.company, date(2026, 2, 10)), "festival")
    done = {i.customer_name: i.done for i in items if i.key.startswith(f"festival:{spring.pk}:")}
    assert done == {"华鑫超市": True, "红星便利店": False}


def test_done_refuses_a_wrong_date_another_reps_customer_and_a_user_without_the_permission(
    personas,
):
    contact = with_birthday(personas.rep_customer, "王老板", "1970-04-20", role="owner")
    with pytest.raises(ValidationError):
        services.mark_done(personas.rep, f"birthday:contact:{contact.pk}:2027-04-21")
    with pytest.raises(ValidationError):
        services.mark_done(personas.rep, "visit:customer:1:2027-04-20")
    with pytest.raises(Http404):
        services.mark_done(personas.other_rep, f"birthday:contact:{contact.pk}:2027-04-20")
    with pytest.raises(Http404):
        services.mark_done(personas.outsider, f"birthday:contact:{contact.pk}:2027-04-20")
    personas.rep.is_active = False
    with pytest.raises(PermissionDenied):
        services.mark_done(personas.rep, f"birthday:contact:{contact.pk}:2027-04-20")
    assert CareRecord.objects.count() == 0


def test_the_number_of_queries_does_not_grow_with_the_customers(
    personas, django_assert_max_num_queries
):
    def grow(count):
        for n in range(count):
            shop = classed(personas.company, f"店{n}", "ABC"[n % 3], rep=personas.rep)
            with_birthday(shop, f"老板{n}", "农历三月十五" if n % 2 else "1970-04-21")
            score(shop, first_order=date(2020, 4, 21), dormant=bool(n % 2))
            add_follow_up(shop, assignee=personas.rep, due_on=DAY, text="x", actor=personas.rep)
            complaint(shop, personas.rep, at(personas.company, DAY, 20))

    grow(3)
    agenda_for(personas.manager, DAY)  # festivals and policies exist from here on
    with django_assert_max_num_queries(40) as small:
        agenda_for(personas.manager, DAY)
    grow(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        items = agenda_for(personas.manager, DAY)
    assert len(kinds(items, "birthday")) >= 10
