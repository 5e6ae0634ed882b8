"""The demo dealer: deterministic, realistic, and loaded consistently with the services."""

from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client

from dealercrm.accounts.models import User
from dealercrm.core.models import AuditEntry
from dealercrm.core.phones import normalize_phone
from dealercrm.customers import demo
from dealercrm.customers.choices import ContactRole, CustomerKind
from dealercrm.customers.models import Assignment, Contact, Customer
from dealercrm.customers.services import refresh_file

# 新野县's townships (2 街道, 8 镇, 5 乡), written out here independently of the generator.
XINYE_TOWNSHIPS = {
    "汉城街道",
    "汉华街道",
    "五星镇",
    "歪子镇",
    "王庄镇",
    "溧河铺镇",
    "施庵镇",
    "沙堰镇",
    "王集镇",
    "新甸铺镇",
    "上港乡",
    "城郊乡",
    "前高庙乡",
    "樊集乡",
    "上庄乡",
}


@pytest.fixture(scope="module")
def dealer() -> demo.DemoDealer:
    return demo.build_demo()


def all_phones(dealer: demo.DemoDealer) -> list[str]:
    phones = [person.mobile for person in dealer.staff]
    for spec in dealer.customers:
        phones.append(spec.fields["phone"])
        phones += [c[key] for c in spec.contacts for key in ("phone", "mobile") if c.get(key)]
    return phones


def test_the_same_seed_builds_the_same_dealer_and_another_seed_a_different_one(dealer):
    assert demo.build_demo() == dealer
    assert demo.build_demo(seed=7).customers != dealer.customers


def test_the_dealer_has_a_boss_two_managers_a_clerk_and_twelve_reps(dealer):
    roles = Counter(person.role for person in dealer.staff)
    assert roles == {"boss": 1, "manager": 2, "clerk": 1, "rep": 12}
    usernames = {person.username for person in dealer.staff}
    assert {"boss", "manager1", "manager2", "clerk", "rep01", "rep12"} <= usernames
    assert all("\u4e00" <= person.display_name[0] <= "\u9fff" for person in dealer.staff)


def test_the_territory_is_five_areas_over_the_real_townships_of_xinye(dealer):
    areas = [r.name for r in dealer.regions if r.parent is None]
    assert sorted(areas) == sorted(["城区片", "东片", "西片", "南片", "北片"])
    townships = {r.name for r in dealer.regions if r.parent is not None}
    assert townships == XINYE_TOWNSHIPS
    assert {r.parent for r in dealer.regions if r.parent} == set(areas)


def test_every_generated_phone_number_is_a_valid_chinese_number(dealer):
    phones = all_phones(dealer)
    assert len(phones) > 3000
    for phone in phones:
        assert normalize_phone(phone) == phone


def test_there_are_three_sub_distributors_and_1500_terminals_across_every_channel(dealer):
    kinds = Counter(spec.fields["kind"] for spec in dealer.customers)
    assert kinds == {CustomerKind.DISTRIBUTOR: 3, CustomerKind.TERMINAL: 1500}
    channels = Counter(s.fields["channel"] for s in dealer.customers if s.fields["channel"])
    assert set(channels) == {"ka", "convenience", "grocery", "restaurant", "hotel", "wholesale"} | {
        "other"
    }
    assert channels["grocery"] > channels["ka"] > 0
    names = [spec.fields["name"] for spec in dealer.customers]
    assert len(set(names)) == len(names)


def test_every_customer_is_owned_by_a_rep_of_its_area(dealer):
    area_of_rep = {p.username: p.area for p in dealer.staff if p.role == "rep"}
    area_of_township = {r.name: r.parent for r in dealer.regions if r.parent}
    for spec in dealer.customers:
        assert area_of_rep[spec.rep] == area_of_township[spec.region]
    assert len({spec.rep for spec in dealer.customers}) == 12


def test_some_terminals_are_served_through_a_sub_distributor(dealer):
    distributors = {s.code for s in dealer.customers if s.fields["kind"] == "distributor"}
    served = [s for s in dealer.customers if s.parent_code]
    assert 50 < len(served) < 750
    assert {s.parent_code for s in served} == distributors


def test_about_a_third_of_owners_have_a_personal_profile_and_some_a_lunar_birthday(dealer):
    owners = [
        next(c for c in spec.contacts if c["role"] == ContactRole.OWNER)
        for spec in dealer.customers
    ]
    profiled = [owner for owner in owners if owner.get("hobbies") or owner.get("family")]
    assert 0.2 < len(profiled) / len(owners) < 0.4
    calendars = Counter(owner.get("birthday_calendar") for owner in owners)
    assert calendars["lunar"] > 50
    assert calendars["solar"] > 50


def test_map_positions_lie_around_xinye(dealer):
    for spec in dealer.customers:
        assert Decimal("32.25") < spec.fields["latitude"] < Decimal("32.85")
        assert Decimal("112.05") < spec.fields["longitude"] < Decimal("112.70")


@pytest.mark.django_db
def test_loading_gives_company_demo_complete_consistent_files_that_reps_see_in_part(dealer):
    loaded = demo.load_demo(dealer)

    customers = Customer.objects.for_company(loaded.company)
    assert loaded.company.code == "DEMO"
    assert customers.count() == 1503
    # 河南省 南阳市 新野县, by national code.
    assert set(customers.values_list("province_id", "city_id", "county_id")) == {
        ("410000", "411300", "411329")
    }
    assert not customers.filter(rep__isnull=True).exists()
    assert Assignment.objects.filter(company=loaded.company, ended_at__isnull=True).count() == 1503

    scores = list(customers.values_list("completeness", flat=True))
    assert min(scores) <= 25
    assert max(scores) == 100
    assert len({score // 10 for score in scores}) >= 8

    # What the bulk load stored is what the services compute from the stored rows.
    for customer in customers.order_by("code")[::150]:
        stored = (customer.completeness, customer.search_text)
        refresh_file(customer)
        assert (customer.completeness, customer.search_text) == stored

    owners = Contact.objects.for_company(loaded.company).filter(role=ContactRole.OWNER)
    assert owners.count() == 1503
    entries = AuditEntry.objects.for_company(loaded.company)
    assert entries.filter(object_type="customer").count() == 1503

    rep = User.objects.get(username="rep01")
    own = Customer.objects.visible_to(rep)
    assert 0 < own.count() < 1503
    assert set(own.values_list("rep__username", flat=True)) == {"rep01"}
    assert Client().login(username="rep01", password=demo.PASSWORD)
