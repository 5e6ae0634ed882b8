"""Creating and editing a customer file through the pages: the customer, its contacts (with the
§5 personal profile), carried products, the rep, deletion; and what the customer page shows."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from dealercrm.core.models import AuditEntry, AuditSource
from dealercrm.customers import services
from dealercrm.customers.choices import ContactRole, CustomerKind
from dealercrm.customers.models import Assignment, CarriedProduct, Contact, Customer
from dealercrm.regions.models import Division, SalesRegion
from dealercrm.testing import make_customer

CREATE = reverse("customers:create")


def detail_url(customer: Customer) -> str:
    return reverse("customers:detail", args=[customer.pk])


def in_english(client):
    """Pages are Chinese by default; assertions on UI text read the English msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def customer_data(**overrides) -> dict:
    data = {"code": "N001", "name": "新华超市", "kind": CustomerKind.TERMINAL}
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------- create


def test_boss_creates_a_customer_for_a_rep(client, personas):
    client.force_login(personas.boss)
    data = customer_data(phone="138 0000 1111", rep=personas.rep.pk, capital="500000.10")
    response = client.post(CREATE, data)
    customer = Customer.objects.get(company=personas.company, code="N001")
    assert response.status_code == 302 and response["Location"] == detail_url(customer)
    assert customer.phone == "+8613800001111"
    assert customer.rep == personas.rep
    assert customer.capital == Decimal("500000.10")
    assert AuditEntry.objects.filter(file_id=customer.pk, action="create", actor=personas.boss)


def test_a_rep_who_creates_a_customer_owns_it(client, personas):
    client.force_login(personas.rep)
    assert "rep" not in client.get(CREATE).context["form"].fields
    client.post(CREATE, customer_data(rep=personas.other_rep.pk))
    customer = Customer.objects.get(company=personas.company, code="N001")
    assert customer.rep == personas.rep


def test_bad_phone_and_duplicate_code_are_shown_on_their_fields_and_nothing_is_saved(
    client, personas
):
    client.force_login(personas.clerk)
    before = Customer.objects.count()
    response = client.post(CREATE, customer_data(code="A001", phone="1381234"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"code", "phone"}
    html = response.content.decode()
    assert 'id="id_code-error"' in html and 'id="id_phone-error"' in html
    assert html.count('aria-invalid="true"') == 2
    assert Customer.objects.count() == before


def test_the_other_companys_codes_do_not_count_as_duplicates(client, personas):
    client.force_login(personas.outsider)
    client.post(CREATE, customer_data(code="A002"))
    assert Customer.objects.filter(company=personas.outsider_company, code="A002").exists()


@pytest.mark.parametrize(
    ("address", "codes"),
    [
        ("河南省南阳市新野县汉城路1号", ("410000", "411300", "411329")),
        ("北京市朝阳区建国路1号", ("110000", None, "110105")),
    ],
)
def test_an_address_fills_empty_province_city_and_county(client, personas, address, codes):
    client.force_login(personas.boss)
    client.post(CREATE, customer_data(address=address))
    customer = Customer.objects.get(company=personas.company, code="N001")
    assert (customer.province_id, customer.city_id, customer.county_id) == codes


def test_divisions_chosen_by_hand_are_kept(client, personas):
    client.force_login(personas.boss)
    chosen = {"province": "410000", "city": "410100", "county": "410105"}  # 郑州 金水区
    client.post(CREATE, customer_data(address="新野县汉城路1号", **chosen))
    customer = Customer.objects.get(company=personas.company, code="N001")
    assert (customer.province_id, customer.city_id, customer.county_id) == (
        "410000",
        "410100",
        "410105",
    )


def test_a_county_outside_the_chosen_city_is_refused(client, personas):
    client.force_login(personas.boss)
    response = client.post(CREATE, customer_data(province="410000", city="410100", county="411329"))
    assert "county" in response.context["form"].errors
    assert not Customer.objects.filter(code="N001").exists()


def test_the_province_select_offers_its_cities_and_direct_counties_only(client, personas):
    customer = personas.rep_customer
    services.update_customer(
        customer,
        actor=None,
        source=AuditSource.SYSTEM,
        fields={
            "province": Division.objects.get(code="410000"),
            "city": Division.objects.get(code="411300"),
            "county": Division.objects.get(code="411329"),
        },
    )
    client.force_login(personas.rep)
    form = client.get(reverse("customers:edit", args=[customer.pk])).context["form"]
    cities = {d.code for d in form.fields["city"].queryset}
    counties = {d.code for d in form.fields["county"].queryset}
    assert "411300" in cities and "110100" not in cities
    assert "411329" in counties and "410105" not in counties


# ---------------------------------------------------------------------------- edit


def test_editing_shows_phones_in_national_format_and_records_the_change(client, personas):
    customer = personas.rep_customer
    client.force_login(personas.rep)
    page = client.get(reverse("customers:edit", args=[customer.pk])).content.decode()
    assert 'value="138 1234 5678"' in page

    data = customer_data(code="A001", name="华鑫超市", phone="0371-6512-3456", address="新野县")
    response = client.post(reverse("customers:edit", args=[customer.pk]), data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.phone == "+8637165123456"
    entry = AuditEntry.objects.filter(file_id=customer.pk, action="update").first()
    assert entry.actor == personas.rep
    assert entry.changes["phone"][1] == "+8637165123456"


def test_an_edit_with_an_error_changes_nothing(client, personas):
    customer = personas.rep_customer
    client.force_login(personas.boss)
    response = client.post(
        reverse("customers:edit", args=[customer.pk]),
        customer_data(code="A002", name="改名了"),
    )
    assert "code" in response.context["form"].errors
    customer.refresh_from_db()
    assert (customer.code, customer.name) == ("A001", "华鑫超市")


def test_a_region_of_another_company_cannot_be_chosen(client, personas):
    foreign = SalesRegion.objects.create(company=personas.outsider_company, name="外地")
    client.force_login(personas.boss)
    response = client.post(CREATE, customer_data(sales_region=foreign.pk))
    assert "sales_region" in response.context["form"].errors


# ---------------------------------------------------------------------------- contacts


def contact_data(**overrides) -> dict:
    data = {"role": ContactRole.OWNER, "name": "王建国", "mobile": "13700001111"}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("1975-08-15", ("solar", 1975, 8, 15, False)),
        ("08-15", ("solar", None, 8, 15, False)),
        ("农历八月十五", ("lunar", None, 8, 15, False)),
        ("农历闰四月初八", ("lunar", None, 4, 8, True)),
    ],
)
def test_a_birthday_is_typed_as_one_text(client, personas, text, columns):
    customer = personas.rep_customer
    client.force_login(personas.rep)
    url = reverse("customers:contact_create", args=[customer.pk])
    response = client.post(url, contact_data(birthday=text))
    assert response.status_code == 302
    contact = Contact.objects.get(customer=customer)
    assert (
        contact.birthday_calendar,
        contact.birthday_year,
        contact.birthday_month,
        contact.birthday_day,
        contact.birthday_leap,
    ) == columns


@pytest.mark.parametrize("text", ["02-30", "农历2023年闰八月初一", "生日"])
def test_an_impossible_birthday_is_an_error_on_its_field(client, personas, text):
    customer = personas.rep_customer
    client.force_login(personas.rep)
    url = reverse("customers:contact_create", args=[customer.pk])
    response = client.post(url, contact_data(birthday=text))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"birthday"}
    assert not Contact.objects.filter(customer=customer).exists()


def test_a_bad_mobile_on_a_contact_is_an_error_on_its_field(client, personas):
    client.force_login(personas.rep)
    url = reverse("customers:contact_create", args=[personas.rep_customer.pk])
    response = client.post(url, contact_data(mobile="12345"))
    assert set(response.context["form"].errors) == {"mobile"}


def test_a_second_owner_is_refused_on_the_role_field(client, personas):
    customer = personas.rep_customer
    client.force_login(personas.rep)
    url = reverse("customers:contact_create", args=[customer.pk])
    client.post(url, contact_data())
    response = client.post(url, contact_data(name="李四"))
    assert set(response.context["form"].errors) == {"role"}
    assert Contact.objects.filter(customer=customer).count() == 1


def test_editing_an_owners_personal_side_shows_in_trail_and_completeness(client, personas):
    customer = personas.rep_customer
    client = in_english(client)
    client.force_login(personas.rep)
    client.post(reverse("customers:contact_create", args=[customer.pk]), contact_data())
    owner = Contact.objects.get(customer=customer)
    before = client.get(detail_url(customer))
    assert "hobbies" in str(before.context["completeness"].missing)

    edit_url = reverse("customers:contact_edit", args=[customer.pk, owner.pk])
    form_page = client.get(edit_url).content.decode()
    assert 'value="137 0000 1111"' in form_page  # national format when editing
    response = client.post(edit_url, contact_data(hobbies="钓鱼", birthday="农历八月十五"))
    assert response.status_code == 302

    after = client.get(detail_url(customer))
    html = after.content.decode()
    audit = html[html.index('id="audit-trail"') :]
    assert "hobbies" in audit and "钓鱼" in audit
    assert "农历八月十五" in html
    missing = [str(label) for _section, label in after.context["completeness"].missing]
    assert "hobbies" not in missing and "birthday" not in missing
    score_before = before.context["completeness"].score
    assert after.context["completeness"].score > score_before
    customer.refresh_from_db()
    assert customer.completeness == after.context["completeness"].score


def test_deleting_a_contact_asks_first(client, personas):
    customer = personas.rep_customer
    owner = services.save_contact(
        customer, actor=None, source=AuditSource.SYSTEM, fields=contact_data(mobile="")
    )
    client.force_login(personas.rep)
    url = reverse("customers:contact_delete", args=[customer.pk, owner.pk])
    assert client.get(url).status_code == 200
    assert Contact.objects.filter(pk=owner.pk).exists()
    client.post(url)
    assert not Contact.objects.filter(pk=owner.pk).exists()
    assert AuditEntry.objects.filter(file_id=customer.pk, object_type="contact", action="delete")


# ---------------------------------------------------------------------------- carried products


def test_carried_products_are_added_edited_and_deleted(client, personas):
    customer = personas.rep_customer
    client.force_login(personas.rep)
    add = reverse("customers:product_create", args=[customer.pk])
    data = {
        "brand": "金龙鱼",
        "product": "5L 调和油",
        "price": "59.90",
        "monthly_volume": "120",
        "is_competitor": "true",
    }
    assert client.post(add, data).status_code == 302
    item = CarriedProduct.objects.get(customer=customer)
    assert (item.price, item.monthly_volume, item.is_competitor) == (
        Decimal("59.90"),
        Decimal("120"),
        True,
    )

    edit = reverse("customers:product_edit", args=[customer.pk, item.pk])
    client.post(edit, data | {"price": "61.50", "is_competitor": "unknown"})
    item.refresh_from_db()
    assert (item.price, item.is_competitor) == (Decimal("61.50"), None)

    client.post(reverse("customers:product_delete", args=[customer.pk, item.pk]))
    assert not CarriedProduct.objects.filter(customer=customer).exists()


def test_a_negative_price_is_refused(client, personas):
    client.force_login(personas.rep)
    add = reverse("customers:product_create", args=[personas.rep_customer.pk])
    response = client.post(add, {"brand": "金龙鱼", "price": "-1"})
    assert set(response.context["form"].errors) == {"price"}


# ---------------------------------------------------------------------------- rep and delete


def test_a_manager_reassigns_and_the_page_shows_the_history(client, personas):
    customer = personas.rep_customer
    client.force_login(personas.manager)
    client.post(
        reverse("customers:assign", args=[customer.pk]),
        {"rep": personas.other_rep.pk, "reason": "区域调整"},
    )
    customer.refresh_from_db()
    assert customer.rep == personas.other_rep
    current = Assignment.objects.get(customer=customer, ended_at__isnull=True)
    assert (current.rep, current.assigned_by, current.reason) == (
        personas.other_rep,
        personas.manager,
        "区域调整",
    )
    html = client.get(detail_url(customer)).content.decode()
    history = html[html.index('id="assignment-history"') :]
    assert "张爱丽" in history and "刘波" in history and "区域调整" in history


def test_boss_deletes_a_customer_after_confirming(client, personas):
    customer = personas.other_rep_customer
    client.force_login(personas.boss)
    url = reverse("customers:delete", args=[customer.pk])
    assert 'id="confirm-delete"' in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("customers:list")
    assert not Customer.objects.filter(pk=customer.pk).exists()


def test_a_distributor_that_still_serves_customers_is_not_deleted(client, personas):
    distributor = make_customer(
        personas.company, code="D1", name="东城分销", kind=CustomerKind.DISTRIBUTOR
    )
    make_customer(personas.company, code="T1", name="小卖部", parent=distributor)
    client.force_login(personas.boss)
    response = client.post(reverse("customers:delete", args=[distributor.pk]))
    assert response.status_code == 302
    assert Customer.objects.filter(pk=distributor.pk).exists()
    html = client.get(detail_url(distributor)).content.decode()
    assert "小卖部" in html  # served customers are listed on the distributor's page


# ---------------------------------------------------------------------------- customer page


def test_the_customer_page_shows_the_five_sections_and_key_people(client, personas):
    customer = personas.rep_customer
    services.save_contact(
        customer,
        actor=None,
        source=AuditSource.SYSTEM,
        fields=contact_data(personality="爽快", mobile="+8613700001111"),
    )
    services.save_contact(
        customer,
        actor=None,
        source=AuditSource.SYSTEM,
        fields={"role": ContactRole.CONTACT, "name": "小李", "is_primary": True},
    )
    services.save_carried_product(
        customer,
        actor=None,
        source=AuditSource.SYSTEM,
        fields={"brand": "鲁花", "is_competitor": False},
    )
    client.force_login(personas.rep)
    response = client.get(detail_url(customer))
    html = response.content.decode()
    for section in range(1, 6):
        assert f'id="section-{section}"' in html
    assert response.context["owner"].name == "王建国"
    assert response.context["primary"].name == "小李"
    assert response.context["brands"]["own"] == ["鲁花"]
    assert "爽快" in html and "137 0000 1111" in html
    assert 'id="edit-owner"' in html and 'id="add-owner"' not in html


def test_the_audit_trail_names_fields_by_their_verbose_name(client, personas):
    customer = personas.rep_customer
    services.update_customer(
        customer, actor=personas.boss, source=AuditSource.WEB, fields={"staff_count": 12}
    )
    client = in_english(client)
    client.force_login(personas.boss)
    html = client.get(detail_url(customer)).content.decode()
    audit = html[html.index('id="audit-trail"') :]
    assert "staff" in audit and "staff_count" not in audit
    assert "王老板" in audit  # who


def test_the_owners_personal_side_comes_first_on_the_customer_page(client, personas):
    customer = personas.rep_customer
    for role, name in ((ContactRole.CONTACT, "小李收银"), (ContactRole.OWNER, "王建国")):
        services.save_contact(
            customer, actor=None, source=AuditSource.SYSTEM, fields={"role": role, "name": name}
        )
    client.force_login(personas.rep)
    body = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    section_five = body[body.index('id="section-5"') :]
    assert section_five.index("王建国") < section_five.index("小李收银")


@pytest.mark.parametrize(
    ("language", "kind", "primary"), [("en", "terminal", "yes"), ("zh-hans", "终端", "是")]
)
def test_the_trail_reads_in_the_readers_language_whatever_language_wrote_it(
    client, personas, language, kind, primary
):
    customer = make_customer(personas.company, rep=personas.rep, code="L1", name="语言测试店")
    services.save_contact(
        customer,
        actor=None,
        source=AuditSource.SYSTEM,
        fields={"role": ContactRole.CONTACT, "name": "小张", "is_primary": True},
    )
    client.force_login(personas.rep)
    response = client.get(
        reverse("customers:detail", args=[customer.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    trail = response.content.decode()
    trail = trail[trail.index('id="audit-trail"') :]
    assert kind in trail
    assert primary in trail
