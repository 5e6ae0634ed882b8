"""The day's route: nearest stop next, from the phone, the start point or the first stop;
stops without a map position last, in due order."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from dealercrm.staff.services import profile_for
from dealercrm.testing import make_customer
from dealercrm.visits import services
from dealercrm.visits.tests.helpers import last_visited, place

pytestmark = pytest.mark.django_db


@dataclass
class Stop:
    name: str
    latitude: Decimal | None
    longitude: Decimal | None


def at(name, east_km, north_km=0):
    """A stop so many km east / north of (32.5, 112.3) (≈ 94 km per degree east there)."""
    return Stop(
        name,
        Decimal("32.5") + Decimal(str(north_km)) / Decimal("110.9"),
        Decimal("112.3") + Decimal(str(east_km)) / Decimal("93.9"),
    )


def test_nearest_neighbour_from_the_start_with_positionless_stops_last():
    stops = [
        Stop("no position 1", None, None),
        at("far east", 10),
        at("near", 1),
        Stop("no position 2", None, None),
        at("middle", 4),
        at("north of near", 1, 2),
    ]

    plan = services.route(stops, (Decimal("32.5"), Decimal("112.3")))

    assert [s.name for s in plan.stops] == [
        "near",
        "north of near",
        "middle",
        "far east",
        "no position 1",
        "no position 2",
    ]
    assert plan.legs[0] == pytest.approx(1000, rel=0.01)
    assert plan.legs[1] == pytest.approx(2000, rel=0.01)
    assert plan.legs[-2:] == [None, None]


def test_nearest_neighbour_is_greedy_not_the_given_order():
    stops = [at("c", 3), at("b", 2), at("a", 1), at("west", -1.5)]

    plan = services.route(stops, (Decimal("32.5"), Decimal("112.3")))

    assert [s.name for s in plan.stops] == ["a", "b", "c", "west"]


def test_without_a_start_the_route_begins_at_the_first_stop_with_a_position():
    stops = [Stop("nowhere", None, None), at("b", 5), at("a", 1), at("c", 6)]

    plan = services.route(stops, None)

    assert [s.name for s in plan.stops] == ["b", "c", "a", "nowhere"]
    assert plan.legs[0] == 0


def test_today_starts_from_the_phone_else_the_base_point(personas):
    today = services.local_today(personas.company)
    west = place(personas.rep_customer, "32.500000", "112.300000")
    last_visited(west, today - timedelta(days=365), "A")
    east = place(make_customer(personas.company, rep=personas.rep, name="东边"), "32.5", "112.5")
    last_visited(east, today - timedelta(days=365), "A")

    from_phone = services.today_plan(personas.rep, (Decimal("32.5"), Decimal("112.6")))
    assert [s.customer.name for s in from_phone.route.stops] == ["东边", "华鑫超市"]
    assert from_phone.start.source == "phone"

    nowhere = services.today_plan(personas.rep)
    assert nowhere.start.source == "first"

    profile = profile_for(personas.rep)
    profile.base_latitude, profile.base_longitude = Decimal("32.5"), Decimal("112.2")
    profile.save()
    from_base = services.today_plan(personas.rep)
    assert from_base.start.source == "base"
    assert [s.customer.name for s in from_base.route.stops] == ["华鑫超市", "东边"]
    assert [s.number for s in from_base.route.stops] == [1, 2]
