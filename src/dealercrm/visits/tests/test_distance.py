"""Check-in distance: a geodesic on WGS-84, checked against an independent formula, and the
500 m flag."""

import math
from datetime import timedelta
from decimal import Decimal

import pytest
from geographiclib.geodesic import Geodesic

from dealercrm.visits import services
from dealercrm.visits.models import Visit
from dealercrm.visits.tests.helpers import HOME, place

pytestmark = pytest.mark.django_db


def haversine_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance on a sphere of the mean Earth radius (independent reference)."""
    radius = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((32.52, 112.36), (32.53, 112.37)),  # across a county town
        ((32.52, 112.36), (34.75, 113.62)),  # 新野 → 郑州
        ((39.9042, 116.4074), (31.2304, 121.4737)),  # 北京 → 上海
        ((22.54, 114.06), (45.80, 126.53)),  # 深圳 → 哈尔滨
    ],
)
def test_distance_agrees_with_haversine_within_half_a_percent(a, b):
    reference = haversine_m(*a, *b)

    measured = services.distance_m(*a, *b)

    assert abs(measured - reference) <= 0.005 * reference


def test_known_distances():
    # One degree of latitude at the equator is 110,574 m on WGS-84; zero for the same place.
    assert services.distance_m(0, 0, 1, 0) == 110_574
    assert services.distance_m(32.52, 112.36, 32.52, 112.36) == 0
    # One degree of longitude along the equator: the equatorial radius × π / 180.
    assert services.distance_m(0, 0, 0, 1) == round(6_378_137 * math.pi / 180)


def point_at(metres: float) -> tuple[Decimal, Decimal]:
    """The position `metres` due north-east of HOME (rounded as a phone's report is stored)."""
    found = Geodesic.WGS84.Direct(float(HOME[0]), float(HOME[1]), 45, metres)
    step = Decimal("0.000001")
    return Decimal(found["lat2"]).quantize(step), Decimal(found["lon2"]).quantize(step)


@pytest.mark.parametrize(("metres", "flagged"), [(499, False), (500, False), (501, True)])
def test_a_check_in_over_500_m_away_is_flagged(personas, metres, flagged):
    customer = place(personas.rep_customer, *HOME)
    latitude, longitude = point_at(metres)

    visit = services.record_visit(
        customer, personas.rep, checkin=services.CheckIn(latitude, longitude, 12)
    )

    visit.refresh_from_db()
    assert (visit.distance_m, visit.far_from_customer) == (metres, flagged)
    assert (visit.checkin_latitude, visit.checkin_longitude) == (latitude, longitude)


def test_a_check_in_without_a_position_is_kept_and_marked(personas, client):
    customer = place(personas.rep_customer, *HOME)

    visit = services.record_visit(customer, personas.rep, checkin=services.CheckIn())

    visit.refresh_from_db()
    assert visit.status == "done"
    assert (visit.checkin_latitude, visit.distance_m, visit.far_from_customer) == (
        None,
        None,
        False,
    )
    client.force_login(personas.boss)
    for url in ("/visits/", f"/visits/{visit.pk}/", "/visits/report/"):
        page = client.get(url).content.decode()
        assert "no-position" in page, url
    assert Visit.objects.filter(checkin_latitude__isnull=True).count() == 1


def test_a_customer_without_a_map_position_gets_no_distance_and_no_flag(personas):
    latitude, longitude = point_at(5_000)

    visit = services.record_visit(
        personas.rep_customer, personas.rep, checkin=services.CheckIn(latitude, longitude)
    )

    visit.refresh_from_db()
    assert (visit.distance_m, visit.far_from_customer) == (None, False)
    assert visit.has_position


def test_recording_sets_the_customers_last_visit_to_the_latest_done_visit(personas):
    customer = personas.rep_customer
    now = services.timezone.now()
    services.record_visit(customer, personas.rep, visited_at=now - timedelta(days=3))
    services.record_visit(customer, personas.rep, visited_at=now - timedelta(days=10))

    customer.refresh_from_db()
    assert customer.last_visit_on == services.local_day(personas.company, now - timedelta(days=3))


def test_distances_read_in_metres_then_kilometres():
    from dealercrm.visits.templatetags.visits_tags import distance

    assert [distance(0), distance(999), distance(1000), distance(3682), distance(None)] == [
        "0 m",
        "999 m",
        "1.0 km",
        "3.7 km",
        "",
    ]
