from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dealercrm.core.models import AuditEntry
from dealercrm.core.tests.apiclient import ApiClient, error_fields
from dealercrm.customers.choices import CustomerKind
from dealercrm.customers.models import Assignment, Customer
from dealercrm.regions.models import SalesRegion
from dealercrm.testing import make_customer


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


# ---------------------------------------------------------------------------- lists


def test_list_pages_through_customers_with_the_total_count(personas):
    for n in range(1, 6):
        make_customer(personas.company, code=f"B00{n}", name=f"客户{n}")
    response = ApiClient(personas.boss).get("customers", page=2, page_size=3)
    assert response.json()["count"] == 7
    assert codes(response) == ["B002", "B003", "B004"]


def test_a_page_past_the_end_is_empty_but_keeps_the_count(personas):
    response = ApiClient(personas.boss).get("customers", page=9, page_size=50)
    assert response.json() == {"count": 2, "items": []}


def test_page_size_defaults_to_50_and_stops_at_500(personas):
    for n in range(55):
        make_customer(personas.company, code=f"M{n:03d}")
    api = ApiClient(personas.boss)
    assert len(api.get("customers").json()["items"]) == 50
    assert error_fields(api.get("customers", page_size=501)) == {"page_size"}
    assert error_fields(api.get("customers", page=0)) == {"page"}


def test_pinyin_initials_find_only_the_own_companys_customer(personas):
    response = ApiClient(personas.boss).get("customers", q="hxcs")
    assert response.json()["count"] == 1
    assert [item["id"] for item in response.json()["items"]] == [personas.rep_customer.pk]


def test_search_matches_phone_and_code(personas):
    api = ApiClient(personas.boss)
    assert codes(api.get("customers", q="13812345678")) == ["A001"]
    assert codes(api.get("customers", q="a002")) == ["A002"]


def test_filters_by_kind_owner_region_class_and_completeness(personas):
    city = SalesRegion.objects.create(company=personas.company, name="城区片")
    east = SalesRegion.objects.create(company=personas.company, name="东片", parent=city)
    make_customer(
        personas.company,
        code="D1",
        name="宛城批发",
        kind=CustomerKind.DISTRIBUTOR,
        sales_region=east,
        rep=personas.other_rep,
    )
    make_customer(personas.company, code="T1", name="城区小店", sales_region=city)
    Customer.objects.filter(code="A002").update(abc_class="A")
    Customer.objects.filter(code="A001").update(completeness=90)
    api = ApiClient(personas.boss)
    assert codes(api.get("customers", kind="distributor")) == ["D1"]
    assert codes(api.get("customers", owner="bob")) == ["A002", "D1"]
    assert codes(api.get("customers", owner=str(personas.rep.pk))) == ["A001"]
    assert codes(api.get("customers", owner="none")) == ["T1"]
    assert codes(api.get("customers", region="城区片")) == ["D1", "T1"]
    assert codes(api.get("customers", region=str(east.pk))) == ["D1"]
    assert codes(api.get("customers", abc_class="A")) == ["A002"]
    assert codes(api.get("customers", completeness_min=80)) == ["A001"]
    assert codes(api.get("customers", sort="-code", kind="terminal")) == ["T1", "A002", "A001"]
    assert error_fields(api.get("customers", kind="shop")) == {"kind"}


def test_rep_sees_only_own_customers(personas):
    response = ApiClient(personas.rep).get("customers")
    assert response.json()["count"] == 1
    assert [item["id"] for item in response.json()["items"]] == [personas.rep_customer.pk]


def test_list_item_shows_related_rows_and_exact_decimals(personas):
    region = SalesRegion.objects.create(company=personas.company, name="城区片")
    parent = make_customer(
        personas.company, code="P1", name="宛城批发", kind=CustomerKind.DISTRIBUTOR
    )
    make_customer(
        personas.company,
        code="T1",
        name="新野小店",
        parent=parent,
        rep=personas.rep,
        sales_region=region,
        address="河南省南阳市新野县汉城路9号",
        capital=Decimal("500000.10"),
        latitude=Decimal("32.520000"),
        longitude=Decimal("112.360000"),
        business_area=Decimal("120.5"),
    )
    item = ApiClient(personas.boss).get("customers", q="T1").json()["items"][0]
    assert item["parent"] == {"id": parent.pk, "code": "P1", "name": "宛城批发"}
    assert item["rep"] == {"id": personas.rep.pk, "username": "alice", "name": "张爱丽"}
    assert item["sales_region"] == {"id": region.pk, "name": "城区片"}
    assert item["capital"] == "500000.10"
    assert (item["latitude"], item["longitude"]) == ("32.520000", "112.360000")
    assert item["business_area"] == "120.5"
    assert item["phone"] == "" and item["staff_count"] is None
    assert "contacts" not in item


def test_list_runs_the_same_few_queries_for_any_number_of_rows(personas):
    api = ApiClient(personas.boss)
    region = SalesRegion.objects.create(company=personas.company, name="城区片")
    parent = make_customer(personas.company, code="P0", kind=CustomerKind.DISTRIBUTOR)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("customers", page_size=500).status_code == 200
        return len(queries)

    few = queries_for_list()
    for n in range(30):
        make_customer(
            personas.company,
            code=f"X{n:02d}",
            parent=parent,
            sales_region=region,
            rep=personas.rep,
            address="河南省南阳市新野县",
        )
    assert queries_for_list() == few


# ---------------------------------------------------------------------------- create


def test_create_fills_divisions_from_the_address_and_normalises_phones(personas):
    response = ApiClient(personas.boss).post(
        "customers",
        {
            "code": "N1",
            "name": "书院超市",
            "kind": "terminal",
            "channel": "ka",
            "address": "河南省南阳市新野县书院路2号",
            "phone": "137 0000 1111",
            "rep": "alice",
            "capital": 1234.5,
            "latitude": "32.5212345",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "+8613700001111"
    assert [body[level]["name"] for level in ("province", "city", "county")] == [
        "河南省",
        "南阳市",
        "新野县",
    ]
    assert body["county"]["code"] == "411329"
    assert body["rep"]["username"] == "alice"
    assert body["capital"] == "1234.50"
    assert body["latitude"] == "32.521235"
    assert body["contacts"] == [] and body["missing"]
    stored = Customer.objects.get(company=personas.company, code="N1")
    assert stored.capital == Decimal("1234.50")
    assert stored.rep == personas.rep


def test_create_records_source_api_and_the_user_in_the_audit_trail(personas):
    response = ApiClient(personas.clerk).post("customers", {"code": "N2", "name": "新店"})
    entry = AuditEntry.objects.get(file_id=response.json()["id"], action="create")
    assert (entry.source, entry.actor) == ("api", personas.clerk)
    assert entry.changes["name"] == ["", "新店"]


def test_divisions_given_by_name_or_code(personas):
    api = ApiClient(personas.boss)
    body = api.post(
        "customers", {"code": "N3", "name": "金水店", "province": "河南", "county": "410105"}
    ).json()
    assert [body[level]["name"] for level in ("province", "city", "county")] == [
        "河南省",
        "郑州市",
        "金水区",
    ]


def test_a_rep_owns_what_they_create(personas):
    response = ApiClient(personas.rep).post("customers", {"code": "N4", "name": "路边店"})
    assert response.status_code == 201
    assert response.json()["rep"]["username"] == "alice"


def test_a_rep_may_not_hand_a_new_customer_to_another_rep(personas):
    response = ApiClient(personas.rep).post(
        "customers", {"code": "N5", "name": "路边店", "rep": "bob"}
    )
    assert response.status_code == 403
    assert not Customer.objects.filter(code="N5").exists()


def test_duplicate_code_is_a_422_naming_the_field(personas):
    response = ApiClient(personas.boss).post("customers", {"code": "A001", "name": "重复"})
    assert error_fields(response) == {"code"}
    assert "A001" in response.json()["detail"][0]["message"]


def test_every_bad_field_is_reported_at_once(personas):
    response = ApiClient(personas.boss).post(
        "customers",
        {
            "code": "N6",
            "name": "坏数据",
            "phone": "12345",
            "rep": "nobody",
            "parent": "NOPE",
            "county": "不存在区",
        },
    )
    assert error_fields(response) == {"phone", "rep", "parent", "county"}
    assert not Customer.objects.filter(code="N6").exists()


def test_wrong_types_and_missing_fields_answer_the_same_shape(personas):
    response = ApiClient(personas.boss).post("customers", {"code": "N7", "staff_count": "many"})
    assert error_fields(response) == {"name", "staff_count"}


def test_parent_must_be_a_sub_distributor(personas):
    response = ApiClient(personas.boss).post(
        "customers", {"code": "N8", "name": "小店", "parent": "A002"}
    )
    assert error_fields(response) == {"parent"}


# ---------------------------------------------------------------------------- read, change


def test_detail_shows_the_whole_file(personas):
    customer = personas.rep_customer
    response = ApiClient(personas.rep).get(f"customers/{customer.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["code"], body["name"]) == (customer.pk, "A001", "华鑫超市")
    assert body["contacts"] == [] and body["carried_products"] == []
    missing = {(item["section"], item["item"]) for item in body["missing"]}
    assert (5, "hobbies") in missing and (1, "address") not in missing


def test_patch_changes_only_the_fields_sent(personas):
    customer = personas.rep_customer
    response = ApiClient(personas.rep).patch(
        f"customers/{customer.pk}", {"notes": "周末人多", "staff_count": 6}
    )
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert (customer.notes, customer.staff_count, customer.name) == ("周末人多", 6, "华鑫超市")
    entry = AuditEntry.objects.filter(file_id=customer.pk, action="update").first()
    assert (entry.source, entry.actor) == ("api", personas.rep)
    assert entry.changes == {"notes": ["", "周末人多"], "staff_count": ["", "6"]}


def test_resending_the_same_decimal_records_no_change(personas):
    customer = make_customer(personas.company, code="D2", capital=Decimal("100.00"))
    api = ApiClient(personas.boss)
    assert api.patch(f"customers/{customer.pk}", {"capital": "100"}).status_code == 200
    assert not AuditEntry.objects.filter(file_id=customer.pk, action="update").exists()


def test_patch_null_clears_a_field(personas):
    customer = personas.rep_customer
    response = ApiClient(personas.rep).patch(f"customers/{customer.pk}", {"phone": None})
    assert response.json()["phone"] == ""
    customer.refresh_from_db()
    assert customer.phone == ""


def test_patch_bad_phone_changes_nothing(personas):
    customer = personas.rep_customer
    response = ApiClient(personas.rep).patch(
        f"customers/{customer.pk}", {"phone": "110", "notes": "x"}
    )
    assert error_fields(response) == {"phone"}
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.phone, stored.notes) == (customer.phone, "")


def test_manager_reassigns_a_customer_and_the_history_is_kept(personas):
    customer = personas.rep_customer
    response = ApiClient(personas.manager).patch(f"customers/{customer.pk}", {"rep": "bob"})
    assert response.json()["rep"]["username"] == "bob"
    history = Assignment.objects.filter(customer=customer).order_by("started_at")
    assert [a.rep.username for a in history] == ["alice", "bob"]


def test_a_rep_may_not_reassign_their_customer(personas):
    customer = personas.rep_customer
    response = ApiClient(personas.rep).patch(f"customers/{customer.pk}", {"rep": "bob"})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.rep == personas.rep


def test_a_rep_may_not_take_a_customer_of_another_company_as_parent(personas):
    beta_customer = personas.outsider_customer
    Customer.objects.filter(pk=beta_customer.pk).update(kind=CustomerKind.DISTRIBUTOR)
    response = ApiClient(personas.boss).patch(
        f"customers/{personas.rep_customer.pk}", {"parent": beta_customer.pk}
    )
    assert error_fields(response) == {"parent"}


# ---------------------------------------------------------------------------- delete


def test_a_rep_may_not_delete_a_customer(personas):
    customer = personas.rep_customer
    response = ApiClient(personas.rep).delete(f"customers/{customer.pk}")
    assert response.status_code == 403
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_clerk_deletes_a_customer_and_the_trail_keeps_it(personas):
    customer = personas.rep_customer
    response = ApiClient(personas.clerk).delete(f"customers/{customer.pk}")
    assert response.status_code == 204
    assert not Customer.objects.filter(pk=customer.pk).exists()
    entry = AuditEntry.objects.get(file_id=customer.pk, action="delete")
    assert (entry.source, entry.actor) == ("api", personas.clerk)


def test_a_distributor_still_serving_others_cannot_be_deleted(personas):
    parent = make_customer(personas.company, code="P1", kind=CustomerKind.DISTRIBUTOR)
    make_customer(personas.company, code="T1", parent=parent)
    response = ApiClient(personas.boss).delete(f"customers/{parent.pk}")
    assert error_fields(response) == {None}
    assert Customer.objects.filter(pk=parent.pk).exists()
