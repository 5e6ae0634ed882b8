"""The warnings page and the customer page's warnings card, by role and company."""

from __future__ import annotations

import pytest
from django.test import Client

from dealercrm.customers.models import Customer
from dealercrm.retention.services import refresh
from dealercrm.retention.tests.history import AS_OF, buy, every
from dealercrm.testing import make_customer


@pytest.fixture
def warned(personas):
    """alice's 华鑫超市 dormant, bob's 红星便利店 declining, beta's 华鑫超市 dormant."""
    buy(personas.rep_customer, every(10, 400, 190))
    buy(
        personas.other_rep_customer,
        every(7, 350, 91, "1000.00") + every(7, 84, 0, "100.00"),
    )
    steady = make_customer(personas.company, rep=personas.rep, code="A003", name="长青酒楼")
    buy(steady, every(10, 300, 0))
    buy(personas.outsider_customer, every(10, 400, 190))
    refresh(personas.company, AS_OF)
    refresh(personas.outsider_company, AS_OF)
    return personas


def page(user, url="/warnings/", **params) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_manager_sees_every_warned_customer_of_the_company_most_at_risk_first(warned):
    body = page(warned.manager)

    assert f'id="warning-{warned.rep_customer.pk}"' in body
    assert f'id="warning-{warned.other_rep_customer.pk}"' in body
    assert "长青酒楼" not in body
    assert "2 customers" in body
    # bob's customer lost 11,700 over 90 days; alice's bought about 542 per 90 days.
    assert body.index("红星便利店") < body.index("华鑫超市")


def test_the_boss_filters_by_kind_and_by_rep(warned):
    dormant = page(warned.boss, kind="dormant")
    assert "华鑫超市" in dormant and "红星便利店" not in dormant

    declining = page(warned.boss, kind="declining")
    assert "红星便利店" in declining and "华鑫超市" not in declining

    bobs = page(warned.boss, rep=str(warned.other_rep.pk))
    assert "红星便利店" in bobs and "华鑫超市" not in bobs


def test_filtering_by_class(warned):
    # Classes are computed by the segmentation app; here the class is simply set.
    Customer.objects.filter(pk=warned.other_rep_customer.pk).update(abc_class="A")

    body = page(warned.manager, abc_class="A")

    assert "红星便利店" in body and "华鑫超市" not in body


def test_a_rep_sees_only_warnings_of_own_customers(warned):
    body = page(warned.rep)

    assert "华鑫超市" in body
    assert "红星便利店" not in body
    assert 'id="id_rep"' not in body  # no rep filter for a rep
    # Asking for another rep's customers shows nothing of theirs.
    assert "红星便利店" not in page(warned.rep, rep=str(warned.other_rep.pk), kind="declining")


def test_another_companys_customers_never_appear(warned):
    outsider_view = page(warned.outsider)
    assert f'id="warning-{warned.outsider_customer.pk}"' in outsider_view
    assert f'id="warning-{warned.rep_customer.pk}"' not in outsider_view
    assert "红星便利店" not in outsider_view

    manager_view = page(warned.manager)
    assert f'id="warning-{warned.outsider_customer.pk}"' not in manager_view


def test_before_the_first_refresh_the_page_says_so(personas):
    body = page(personas.manager)

    assert 'id="not-computed"' in body


def test_the_customer_page_shows_the_warning_and_the_scores(warned):
    body = page(warned.rep, f"/customers/{warned.rep_customer.pk}/")

    assert 'id="warning-dormant"' in body
    assert "no order for 190 days" in body and "every 10.0 days" in body
    assert 'id="rfm-scores"' in body


def test_the_customer_page_of_a_steady_buyer_shows_no_warning(warned):
    steady = Customer.objects.get(company=warned.company, code="A003")

    body = page(warned.rep, f"/customers/{steady.pk}/")

    assert 'id="rfm-scores"' in body
    assert 'id="warning-dormant"' not in body and 'id="warning-declining"' not in body


def test_the_nav_links_to_the_warnings(personas):
    assert 'id="nav-warnings"' in page(personas.rep, "/customers/")
