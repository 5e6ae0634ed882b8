"""Who may open and change which customer file through the pages: 404 for what a user cannot
see (another company's, another rep's), 403 for what their role may not do."""

import pytest
from django.urls import reverse

from dealercrm.core.models import AuditSource
from dealercrm.customers import services
from dealercrm.customers.choices import ContactRole
from dealercrm.customers.models import CarriedProduct, Contact, Customer


def add_owner(customer: Customer, name: str = "王老板") -> Contact:
    return services.save_contact(
        customer,
        actor=None,
        source=AuditSource.SYSTEM,
        fields={"role": ContactRole.OWNER, "name": name},
    )


def add_product(customer: Customer) -> CarriedProduct:
    return services.save_carried_product(
        customer, actor=None, source=AuditSource.SYSTEM, fields={"brand": "金龙鱼"}
    )


def file_urls(customer: Customer, contact: Contact, item: CarriedProduct) -> list[str]:
    pk = customer.pk
    return [
        reverse("customers:detail", args=[pk]),
        reverse("customers:edit", args=[pk]),
        reverse("customers:delete", args=[pk]),
        reverse("customers:contact_create", args=[pk]),
        reverse("customers:contact_edit", args=[pk, contact.pk]),
        reverse("customers:contact_delete", args=[pk, contact.pk]),
        reverse("customers:product_create", args=[pk]),
        reverse("customers:product_edit", args=[pk, item.pk]),
        reverse("customers:product_delete", args=[pk, item.pk]),
    ]


def test_another_company_gets_404_for_every_page_of_a_file(client, personas):
    customer = personas.rep_customer
    contact, item = add_owner(customer), add_product(customer)
    client.force_login(personas.outsider)
    for url in file_urls(customer, contact, item):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x", "code": "x", "brand": "x"}).status_code == 404, url
    assert client.post(reverse("customers:assign", args=[customer.pk])).status_code == 404
    assert Contact.objects.get(pk=contact.pk).name == "王老板"
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_rep_cannot_open_another_reps_customer(client, personas):
    customer = personas.other_rep_customer
    contact, item = add_owner(customer), add_product(customer)
    client.force_login(personas.rep)
    for url in file_urls(customer, contact, item):
        assert client.get(url).status_code == 404, url


def test_a_contact_is_reached_only_through_its_own_customer(client, personas):
    others_contact = add_owner(personas.other_rep_customer)
    client.force_login(personas.boss)
    url = reverse("customers:contact_edit", args=[personas.rep_customer.pk, others_contact.pk])
    assert client.get(url).status_code == 404


def test_rep_cannot_delete_even_own_customer(client, personas):
    customer = personas.rep_customer
    client.force_login(personas.rep)
    url = reverse("customers:delete", args=[customer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Customer.objects.filter(pk=customer.pk).exists()
    assert (
        'id="delete-customer"'
        not in client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    )


def test_rep_cannot_reassign_a_customer(client, personas):
    customer = personas.rep_customer
    client.force_login(personas.rep)
    response = client.post(
        reverse("customers:assign", args=[customer.pk]), {"rep": personas.other_rep.pk}
    )
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.rep == personas.rep


def test_rep_can_edit_own_customer(client, personas):
    customer = personas.rep_customer
    client.force_login(personas.rep)
    assert client.get(reverse("customers:edit", args=[customer.pk])).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        reverse("customers:list"),
        reverse("customers:create"),
        reverse("customers:detail", args=[1]),
        reverse("regions:list"),
    ],
)
def test_pages_need_a_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_without_a_company_cannot_create_customers(client, db):
    from dealercrm.testing import UserFactory

    admin = UserFactory(username="root", company=None, is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("customers:create")).status_code == 403
    assert client.get(reverse("customers:list")).context["page"].paginator.count == 0
