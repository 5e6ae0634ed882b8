"""Festivals: the defaults, their dates in two years, the lead window, the class policy."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dealercrm.care import services
from dealercrm.care.models import Festival
from dealercrm.segmentation.services import update_policy

from .helpers import classed, company_agenda, kinds, names

pytestmark = pytest.mark.django_db


def by_code(company):
    return {f.code: f for f in services.festivals(company)}


def test_the_default_festivals_are_created_on_first_read_with_their_lead_days(personas):
    found = by_code(personas.company)
    assert {c for c, f in found.items() if f.enabled} == {
        "new_year",
        "spring",
        "lantern",
        "dragon_boat",
        "mid_autumn",
        "national",
    }
    assert not found["new_year_eve"].enabled and not found["qixi"].enabled
    assert found["spring"].lead_days == 14 and found["mid_autumn"].lead_days == 14
    assert found["dragon_boat"].lead_days == 7
    services.festivals(personas.company)
    assert Festival.objects.filter(company=personas.company).count() == 10
    assert Festival.objects.filter(company=personas.outsider_company).count() == 0


@pytest.mark.parametrize(
    ("code", "year", "expected"),
    [
        ("spring", 2025, date(2025, 1, 29)),
        ("spring", 2026, date(2026, 2, 17)),
        ("mid_autumn", 2025, date(2025, 10, 6)),
        ("mid_autumn", 2026, date(2026, 9, 25)),
        ("dragon_boat", 2025, date(2025, 5, 31)),
        ("dragon_boat", 2026, date(2026, 6, 19)),
        ("lantern", 2026, date(2026, 3, 3)),
        ("new_year_eve", 2026, date(2026, 2, 16)),
        ("national", 2026, date(2026, 10, 1)),
    ],
)
def test_festival_dates_in_two_years(personas, code, year, expected):
    assert services.festival_dates(by_code(personas.company)[code], year) == [expected]


def test_a_festival_shows_from_its_lead_days_before_through_the_day(personas):
    shop = classed(personas.company, "甲店", "A", rep=personas.rep)
    # 中秋 2026-09-25, 14 days ahead: from 09-11 (every customer: unclassified ones are greeted).
    assert names(company_agenda(personas.company, date(2026, 9, 10)), "festival") == []
    first = kinds(company_agenda(personas.company, date(2026, 9, 11)), "festival")
    assert names(first, "festival") == ["华鑫超市", "甲店", "红星便利店"]
    assert first[0].customer_name == "甲店"  # class A first
    assert first[0].due == date(2026, 9, 25)
    assert first[0].owner_id == personas.rep.pk
    mid_autumn = by_code(personas.company)["mid_autumn"]
    assert first[0].key == f"festival:{mid_autumn.pk}:customer:{shop.pk}:2026-09-25"
    assert "甲店" in names(company_agenda(personas.company, date(2026, 9, 25)), "festival")
    after = kinds(company_agenda(personas.company, date(2026, 9, 26)), "festival")
    assert [i for i in after if i.key.startswith(f"festival:{mid_autumn.pk}:")] == []
    assert {i.due for i in after} == {date(2026, 10, 1)}  # 国庆, 7 days ahead


def test_the_class_policy_says_whether_to_visit_or_greet_and_a_class_with_neither_gets_nothing(
    personas,
):
    classed(personas.company, "甲店", "A", rep=personas.rep)
    classed(personas.company, "丙店", "C", rep=personas.rep)
    items = kinds(company_agenda(personas.company, date(2026, 2, 10)), "festival")
    texts = {i.customer_name: i.text for i in items}
    assert "festival visit with a gift" in texts["甲店"]
    assert "festival greeting" in texts["丙店"]
    update_policy(
        personas.company, "C", actor=personas.boss, visit_interval_days=30, care_actions=[]
    )
    items = kinds(company_agenda(personas.company, date(2026, 2, 10)), "festival")
    assert "丙店" not in {i.customer_name for i in items}


def test_a_disabled_festival_is_not_on_the_agenda(personas):
    classed(personas.company, "甲店", "A", rep=personas.rep)
    spring = by_code(personas.company)["spring"]
    services.update_festival(spring, actor=personas.boss, enabled=False, lead_days=14)
    assert names(company_agenda(personas.company, date(2026, 2, 10)), "festival") == []


def test_a_company_festival_with_lunar_day_zero_falls_on_the_months_last_day(personas):
    festival = services.add_festival(
        personas.company,
        actor=personas.manager,
        name="小年夜",
        calendar_name="lunar",
        month=12,
        day=0,
        lead_days=3,
    )
    assert services.festival_dates(festival, 2025) == [date(2025, 1, 28)]


def test_bad_festival_input_names_the_field_and_adds_nothing(personas):
    services.festivals(personas.company)
    with pytest.raises(ValidationError) as caught:
        services.add_festival(
            personas.company,
            actor=personas.boss,
            name="春节",
            calendar_name="solar",
            month=2,
            day=30,
            lead_days=99,
        )
    assert set(caught.value.message_dict) == {"name", "day", "lead_days"}
    assert Festival.objects.filter(company=personas.company).count() == 10


def test_only_boss_and_managers_change_festivals_and_built_in_ones_are_only_disabled(personas):
    spring = by_code(personas.company)["spring"]
    with pytest.raises(PermissionDenied):
        services.update_festival(spring, actor=personas.rep, enabled=False, lead_days=3)
    with pytest.raises(ValidationError):
        services.delete_festival(spring, actor=personas.boss)


def test_the_festivals_page_lists_this_and_next_years_dates_and_saves_changes(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.manager)
    page = client.get("/agenda/festivals/")
    assert page.status_code == 200
    assert "春节" in page.content.decode()
    spring = by_code(personas.company)["spring"]
    answer = client.post(
        "/agenda/festivals/", {"action": "update", "festival": spring.pk, "lead_days": "10"}
    )
    assert answer.status_code == 302
    spring.refresh_from_db()
    assert spring.lead_days == 10 and not spring.enabled
    added = client.post(
        "/agenda/festivals/",
        {"action": "add", "name": "店庆", "calendar": "solar", "month": "6", "day": "18"},
    )
    assert added.status_code == 302
    own = Festival.objects.get(company=personas.company, name="店庆")
    bad = client.post(
        "/agenda/festivals/",
        {"action": "add", "name": "", "calendar": "solar", "month": "13", "day": "1"},
    )
    assert bad.status_code == 422
    assert "The month must be from 1 to 12." in bad.content.decode()
    client.post("/agenda/festivals/", {"action": "delete", "festival": own.pk})
    assert not Festival.objects.filter(pk=own.pk).exists()


def test_the_festivals_page_is_for_boss_and_managers_and_rows_of_others_are_not_found(personas):
    client = Client()
    client.force_login(personas.rep)
    assert client.get("/agenda/festivals/").status_code == 403
    other = by_code(personas.outsider_company)["spring"]
    client.force_login(personas.boss)
    answer = client.post(
        "/agenda/festivals/", {"action": "update", "festival": other.pk, "lead_days": "1"}
    )
    assert answer.status_code == 404
    other.refresh_from_db()
    assert other.lead_days == 14


@pytest.mark.parametrize(
    ("day", "due"),
    [(date(2025, 1, 20), date(2025, 1, 29)), (date(2026, 2, 10), date(2026, 2, 17))],
)
def test_the_spring_festival_item_is_due_on_that_years_date(personas, day, due):
    shop = classed(personas.company, "甲店", "A", rep=personas.rep)
    spring = by_code(personas.company)["spring"]
    items = kinds(company_agenda(personas.company, day), "festival")
    keys = {i.key: i.due for i in items}
    assert keys[f"festival:{spring.pk}:customer:{shop.pk}:{due.isoformat()}"] == due
