from decimal import Decimal

from dealercrm.core.models import AuditEntry
from dealercrm.core.tests.apiclient import ApiClient, error_fields
from dealercrm.customers import services
from dealercrm.customers.models import CarriedProduct, Contact, Customer
from dealercrm.testing import make_customer


def contacts_url(customer, contact=None) -> str:
    url = f"customers/{customer.pk}/contacts"
    return f"{url}/{contact.pk}" if contact else url


def products_url(customer, item=None) -> str:
    url = f"customers/{customer.pk}/products"
    return f"{url}/{item.pk}" if item else url


def add_contact(customer, **fields) -> Contact:
    return services.save_contact(customer, actor=None, source="system", fields=fields)


# ---------------------------------------------------------------------------- contacts


def test_rep_adds_the_owner_with_a_lunar_birthday(personas):
    customer = personas.rep_customer
    before = Customer.objects.get(pk=customer.pk).completeness
    response = ApiClient(personas.rep).post(
        contacts_url(customer),
        {
            "role": "owner",
            "name": "王建国",
            "mobile": "137 0000 1111",
            "birthday": "农历八月十五",
            "hobbies": "钓鱼",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["mobile"], body["birthday"]) == (
        "王建国",
        "+8613700001111",
        "农历八月十五",
    )
    stored = Contact.objects.get(pk=body["id"])
    assert (stored.birthday_calendar, stored.birthday_month, stored.birthday_day) == (
        "lunar",
        8,
        15,
    )
    assert Customer.objects.get(pk=customer.pk).completeness > before
    entry = AuditEntry.objects.get(object_type="contact", object_id=stored.pk)
    assert (entry.source, entry.actor, entry.file_id) == ("api", personas.rep, customer.pk)


def test_bad_mobile_is_a_422_naming_mobile(personas):
    response = ApiClient(personas.rep).post(
        contacts_url(personas.rep_customer), {"name": "李四", "mobile": "1380000"}
    )
    assert error_fields(response) == {"mobile"}
    assert not Contact.objects.exists()


def test_impossible_birthday_is_a_422_naming_birthday(personas):
    api = ApiClient(personas.rep)
    for text in ["1975-02-30", "农历1975年闰二月初一", "生日"]:
        response = api.post(contacts_url(personas.rep_customer), {"name": "李四", "birthday": text})
        assert error_fields(response) == {"birthday"}, text
    assert not Contact.objects.exists()


def test_a_second_owner_is_refused(personas):
    customer = personas.rep_customer
    add_contact(customer, role="owner", name="甲")
    response = ApiClient(personas.rep).post(contacts_url(customer), {"role": "owner", "name": "乙"})
    assert error_fields(response) == {"role"}


def test_patch_contact_changes_only_the_fields_sent_and_null_clears(personas):
    customer = personas.rep_customer
    contact = add_contact(
        customer,
        name="王建国",
        hobbies="钓鱼",
        birthday_calendar="solar",
        birthday_month=8,
        birthday_day=15,
    )
    response = ApiClient(personas.rep).patch(
        contacts_url(customer, contact), {"habits": "喝茶", "birthday": None}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["hobbies"], response.json()["birthday"]) == ("钓鱼", "")
    contact.refresh_from_db()
    assert (contact.habits, contact.hobbies, contact.birthday_month) == ("喝茶", "钓鱼", None)
    entry = AuditEntry.objects.filter(object_type="contact", action="update").get()
    assert (entry.source, entry.actor) == ("api", personas.rep)


def test_list_get_and_delete_contacts(personas):
    customer = personas.rep_customer
    first = add_contact(customer, name="甲")
    add_contact(customer, name="乙")
    api = ApiClient(personas.rep)
    listed = api.get(contacts_url(customer)).json()
    assert (listed["count"], [c["name"] for c in listed["items"]]) == (2, ["甲", "乙"])
    assert api.get(contacts_url(customer, first)).json()["name"] == "甲"
    assert api.delete(contacts_url(customer, first)).status_code == 204
    assert list(Contact.objects.values_list("name", flat=True)) == ["乙"]
    entry = AuditEntry.objects.get(object_type="contact", action="delete")
    assert (entry.source, entry.actor) == ("api", personas.rep)


def test_a_contact_is_reached_only_through_its_own_customer(personas):
    contact = add_contact(personas.rep_customer, name="甲")
    other = make_customer(personas.company, code="Z1", rep=personas.rep)
    api = ApiClient(personas.rep)
    assert api.get(contacts_url(other, contact)).status_code == 404
    assert api.delete(contacts_url(other, contact)).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_customer_detail_includes_contacts_and_products(personas):
    customer = personas.rep_customer
    add_contact(customer, role="owner", name="王建国")
    services.save_carried_product(
        customer, actor=None, source="system", fields={"brand": "金龙鱼", "price": Decimal("5.5")}
    )
    body = ApiClient(personas.rep).get(f"customers/{customer.pk}").json()
    assert [c["name"] for c in body["contacts"]] == ["王建国"]
    assert [(p["brand"], p["price"]) for p in body["carried_products"]] == [("金龙鱼", "5.50")]
    assert "owner" not in {item["item"] for item in body["missing"]}


# ---------------------------------------------------------------------------- carried products


def test_carried_products_are_added_changed_and_removed(personas):
    customer = personas.rep_customer
    api = ApiClient(personas.rep)
    created = api.post(
        products_url(customer),
        {"brand": "金龙鱼", "product": "5L 调和油", "price": "59.9", "monthly_volume": 120},
    )
    assert created.status_code == 201, created.content
    assert (created.json()["price"], created.json()["monthly_volume"]) == ("59.90", "120.00")
    item = CarriedProduct.objects.get(pk=created.json()["id"])
    changed = api.patch(products_url(customer, item), {"is_competitor": True, "price": None})
    assert (changed.json()["is_competitor"], changed.json()["price"]) == (True, None)
    item.refresh_from_db()
    assert (item.product, item.price, item.is_competitor) == ("5L 调和油", None, True)
    listed = api.get(products_url(customer)).json()
    assert (listed["count"], listed["items"][0]["brand"]) == (1, "金龙鱼")
    assert api.delete(products_url(customer, item)).status_code == 204
    assert not CarriedProduct.objects.exists()
    actions = AuditEntry.objects.filter(object_type="carriedproduct").values_list(
        "action", "source", "actor"
    )
    assert sorted(actions) == [
        ("create", "api", personas.rep.pk),
        ("delete", "api", personas.rep.pk),
        ("update", "api", personas.rep.pk),
    ]


def test_bad_price_is_a_422_naming_price(personas):
    api = ApiClient(personas.rep)
    url = products_url(personas.rep_customer)
    assert error_fields(api.post(url, {"brand": "金龙鱼", "price": "abc"})) == {"price"}
    assert error_fields(api.post(url, {"brand": "金龙鱼", "price": "1.234"})) == {"price"}
    assert error_fields(api.post(url, {"price": "1"})) == {"brand"}
    assert not CarriedProduct.objects.exists()


def test_a_body_that_is_not_json_is_a_400(personas):
    api = ApiClient(personas.rep)
    response = api.client.post(
        "/api/v1/" + products_url(personas.rep_customer),
        "{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not CarriedProduct.objects.exists()
