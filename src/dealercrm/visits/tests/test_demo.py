"""The demo's visit history: deterministic, current, with flags, plans and overdue customers."""

import time
from datetime import date

import pytest

from dealercrm.customers.demo import load_demo
from dealercrm.customers.models import Customer
from dealercrm.visits import services
from dealercrm.visits.demo import load_demo_visits
from dealercrm.visits.models import CompetitorSighting, Visit

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def history(company) -> list[tuple]:
    return list(
        Visit.objects.for_company(company)
        .order_by("customer__code", "visited_at", "planned_for")
        .values_list("customer__code", "status", "visited_at", "planned_for", "distance_m")
    )


def test_the_demo_history_is_realistic_fast_and_deterministic():
    loaded = load_demo()
    company = loaded.company
    began = time.monotonic()
    written = load_demo_visits(company, TODAY)
    seconds = time.monotonic() - began

    visits = Visit.objects.for_company(company)
    done = visits.filter(status="done")
    assert written == visits.count() and seconds < 20
    # Unclassified here (no sales loaded): every customer is C, visited about monthly.
    assert done.count() > 1.5 * Customer.objects.for_company(company).count()
    assert done.filter(far_from_customer=True).exists()
    assert done.filter(checkin_latitude__isnull=True).exists()
    near = done.filter(distance_m__lte=services.FAR_CHECKIN_METRES).count()
    assert near > 0.8 * done.count()
    assert visits.filter(status="planned", planned_for=TODAY).exists()
    assert CompetitorSighting.objects.for_company(company).exists()
    assert not done.filter(visited_at__gte=services.day_start(company, TODAY)).exists()
    latest = Customer.objects.for_company(company).exclude(last_visit_on=None)
    assert latest.count() == Customer.objects.for_company(company).exclude(rep=None).count()

    report = services.visit_report(company, TODAY, TODAY)
    assert report.overdue_count > 0 and report.rows

    before = history(company)
    Visit.objects.for_company(company).delete()
    load_demo_visits(company, TODAY)
    assert history(company) == before
