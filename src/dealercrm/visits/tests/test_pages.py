"""The visits pages as a rep and a manager use them."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from dealercrm.customers.models import Customer
from dealercrm.testing import make_customer
from dealercrm.visits import services
from dealercrm.visits.models import CompetitorSighting, Visit
from dealercrm.visits.tests.helpers import HOME, last_visited, place, planned_visit

pytestmark = pytest.mark.django_db


def today(personas):
    return services.local_today(personas.company)


def stop_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="stop-(\d+)"', html)]


def test_today_lists_due_customers_as_cards_in_route_order(personas, client):
    day = today(personas)
    near = place(personas.rep_customer, "32.520000", "112.370000")
    last_visited(near, day - timedelta(days=10), "A")
    far = make_customer(personas.company, rep=personas.rep, name="远方超市", phone="13900001111")
    place(far, "32.520000", "112.500000")
    last_visited(far, day - timedelta(days=40), "C")
    last_visited(make_customer(personas.company, rep=personas.rep, name="刚去过"), day, "A")
    client.force_login(personas.rep)

    html = client.get("/visits/today/", {"lat": "32.52", "lon": "112.36"}).content.decode()

    assert stop_ids(html) == [near.pk, far.pk]
    card = html[html.index(f'id="stop-{far.pk}"') :]
    assert "10 days overdue" in html
    assert 'href="tel:+8613900001111"' in card
    assert f'href="/visits/checkin/{far.pk}/"' in card
    assert "刚去过" not in html
    assert 'id="visits-map-data"' in html and "visits-map.js" in html
    assert 'data-source="phone"' in html


def test_today_without_a_position_says_where_the_route_starts(personas, client):
    last_visited(personas.rep_customer, today(personas) - timedelta(days=40), "C")
    client.force_login(personas.rep)

    html = client.get("/visits/today/", {"lat": "999", "lon": "x"}).content.decode()

    assert 'data-source="first"' in html
    assert 'id="position-refused"' in html


def test_checking_in_records_the_visit_and_turns_the_days_plan_done(personas, client):
    customer = place(personas.rep_customer, *HOME)
    plan = planned_visit(customer, personas.rep, today(personas))
    client.force_login(personas.rep)

    response = client.post(
        f"/visits/checkin/{customer.pk}/",
        {
            "latitude": "32.520900",
            "longitude": "112.360000",
            "accuracy": "15.6",
            "notes": "老板说下周进货",
            "stock_level": "low",
            "shelf_display": "fair",
            "ads_present": "no",
            "order_amount": "1280.50",
            "order_notes": "清泉山矿泉水 20 箱",
            "brand_1": "娃哈哈",
            "product_1": "纯净水 596ml",
            "price_1": "1.50",
            "brand_3": "农夫山泉",
        },
    )

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert visit.pk == plan.pk and visit.status == "done"
    assert (visit.distance_m, visit.far_from_customer, visit.checkin_accuracy_m) == (100, False, 16)
    assert (visit.stock_level, visit.shelf_display, visit.ads_present) == ("low", "fair", False)
    assert visit.order_amount == Decimal("1280.50")
    assert [(s.brand, s.product, s.price) for s in CompetitorSighting.objects.all()] == [
        ("娃哈哈", "纯净水 596ml", Decimal("1.50")),
        ("农夫山泉", "", None),
    ]
    assert Customer.objects.get(pk=customer.pk).last_visit_on == today(personas)
    detail = client.get(response.url).content.decode()
    assert "老板说下周进货" in detail and "100 m" in detail and "娃哈哈" in detail


def test_a_bad_value_re_renders_the_form_with_the_message_and_saves_nothing(personas, client):
    client.force_login(personas.rep)

    response = client.post(
        f"/visits/checkin/{personas.rep_customer.pk}/",
        {"notes": "看过了", "product_2": "冰红茶", "price_2": "3.5"},
    )

    assert response.status_code == 422
    assert "Competitor product 2: the brand is missing." in response.content.decode()
    assert not Visit.objects.exists()
    assert Customer.objects.get(pk=personas.rep_customer.pk).last_visit_on is None


def test_a_rep_plans_and_cancels_a_visit_from_the_customer_page(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.rep)
    customer = personas.rep_customer
    day = today(personas) + timedelta(days=2)

    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="customer-checkin"' in page and 'id="plan-form"' in page
    form = page[page.index('id="plan-form"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    client.post(
        f"/visits/plan/{customer.pk}/", {"day": day.isoformat(), "csrfmiddlewaretoken": token}
    )

    plan = Visit.objects.get()
    assert (plan.status, plan.planned_for, plan.rep) == ("planned", day, personas.rep)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert f'id="planned-{plan.pk}"' in page
    cancel = page[page.index(f'id="planned-{plan.pk}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cancel).group(1)
    client.post(f"/visits/{plan.pk}/cancel/", {"csrfmiddlewaretoken": token})
    assert Visit.objects.get().status == "cancelled"


def test_a_past_day_cannot_be_planned(personas, client):
    client.force_login(personas.rep)
    response = client.post(
        f"/visits/plan/{personas.rep_customer.pk}/",
        {"day": (today(personas) - timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "The day has passed" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_manager_plans_a_visit_for_a_rep_and_a_rep_cannot_plan_for_others(personas, client):
    day = today(personas)
    client.force_login(personas.manager)
    client.post(
        f"/visits/plan/{personas.other_rep_customer.pk}/",
        {"day": day.isoformat(), "rep": personas.other_rep.pk},
    )
    assert Visit.objects.get().rep == personas.other_rep

    with pytest.raises(services.PermissionDenied):
        services.plan_visit(personas.rep_customer, personas.other_rep, day, personas.rep)


def test_the_customer_page_shows_next_due_and_the_last_visits(personas, client):
    customer = last_visited(personas.rep_customer, None, "B")
    services.record_visit(customer, personas.rep, observations=services.Observations(notes="好"))
    client.force_login(personas.rep)

    page = client.get(f"/customers/{customer.pk}/").content.decode()

    next_due = (today(personas) + timedelta(days=14)).isoformat()
    assert f'id="next-due">{next_due}' in page
    assert len(re.findall(r'id="recent-\d+"', page)) == 1


def test_the_clerk_sees_the_section_without_buttons(personas, client):
    client.force_login(personas.clerk)
    page = client.get(f"/customers/{personas.rep_customer.pk}/").content.decode()
    assert 'id="visits"' in page
    assert 'id="customer-checkin"' not in page and 'id="plan-form"' not in page


def test_the_list_filters_by_rep_status_dates_and_flags(personas, client):
    alice, bob = personas.rep, personas.other_rep
    place(personas.rep_customer, *HOME)
    far = services.record_visit(
        personas.rep_customer,
        alice,
        checkin=services.CheckIn(Decimal("32.6"), Decimal("112.36")),
    )
    blind = services.record_visit(personas.other_rep_customer, bob)
    plan = planned_visit(personas.rep_customer, alice, today(personas) + timedelta(days=3))
    client.force_login(personas.boss)

    def listed(**params) -> set[int]:
        html = client.get("/visits/", params).content.decode()
        return {int(pk) for pk in re.findall(r'id="visit-(\d+)"', html)}

    assert listed() == {far.pk, blind.pk, plan.pk}
    assert listed(rep=bob.pk) == {blind.pk}
    assert listed(status="planned") == {plan.pk}
    assert listed(flagged="far") == {far.pk}
    assert listed(flagged="no_position") == {blind.pk}
    assert listed(flagged="any") == {far.pk, blind.pk}
    assert listed(date_from=(today(personas) + timedelta(days=1)).isoformat()) == {plan.pk}
    assert listed(date_to=today(personas).isoformat()) == {far.pk, blind.pk}
    client.force_login(alice)
    assert listed() == {far.pk, plan.pk}


def test_today_page_queries_do_not_grow_with_the_number_of_stops(
    personas, client, django_assert_max_num_queries
):
    day = today(personas)
    for n in range(25):
        customer = make_customer(personas.company, rep=personas.rep, name=f"店{n}")
        place(customer, Decimal("32.5") + Decimal(n) / 1000, "112.36")
        last_visited(customer, day - timedelta(days=40), "C")
    client.force_login(personas.rep)
    client.get("/visits/today/")  # policies and profile created on first read

    with django_assert_max_num_queries(12):
        html = client.get("/visits/today/").content.decode()
    assert len(stop_ids(html)) == 26


def test_a_score_asked_on_the_visit_is_kept_as_a_satisfaction_answer_of_that_visit(
    personas, client
):
    from dealercrm.satisfaction.models import Survey

    customer = place(personas.rep_customer, *HOME)
    client.force_login(personas.rep)

    client.post(
        f"/visits/checkin/{customer.pk}/",
        {"satisfaction_score": "6", "satisfaction_comment": "送货太慢"},
    )
    client.post(f"/visits/checkin/{customer.pk}/", {"notes": "没问满意度"})

    first, second = Visit.objects.order_by("pk")
    answer = Survey.objects.get()
    assert (answer.visit, answer.score, answer.comment, answer.source) == (
        first,
        6,
        "送货太慢",
        "visit",
    )
    assert not second.surveys.exists()


def test_a_score_outside_0_to_10_saves_no_visit(personas, client):
    customer = place(personas.rep_customer, *HOME)
    client.force_login(personas.rep)

    response = client.post(f"/visits/checkin/{customer.pk}/", {"satisfaction_score": "11"})

    assert response.status_code == 422
    assert not Visit.objects.exists()
