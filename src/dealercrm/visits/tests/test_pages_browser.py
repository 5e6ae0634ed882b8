"""On a phone: a rep opens today's list, checks in with the phone's position and records a
visit with a photo."""

import re
from datetime import timedelta

import pytest

from dealercrm.testing import log_in, watch_for_blocked_content
from dealercrm.visits import services
from dealercrm.visits.models import Visit
from dealercrm.visits.tests.helpers import last_visited, picture, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_checks_in_on_a_phone_and_records_a_visit_with_a_photo(
    phone_page, personas, live_server
):
    customer = place(personas.rep_customer, "32.520000", "112.360000")
    last_visited(customer, services.local_today(personas.company) - timedelta(days=10), "A")
    page = phone_page
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    # About 55 m north of the shop.
    page.context.set_geolocation({"latitude": 32.5205, "longitude": 112.36, "accuracy": 10})
    problems = watch_for_blocked_content(page)
    log_in(page, "alice")

    page.goto("/visits/today/")
    page.wait_for_url(re.compile(r"lat=32\.5205"))  # reloaded from the phone's position
    card = page.locator(f"#stop-{customer.pk}")
    assert "华鑫超市" in card.inner_text()
    assert page.locator("#visits-map canvas").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    card.locator(".checkin-button").click()
    page.wait_for_selector("#position-status[data-state=found]")
    assert page.input_value("#id_latitude") == "32.520500"
    page.fill("#id_notes", "货架陈列良好")
    page.select_option("#id_stock_level", "normal")
    page.fill("#id_brand_1", "娃哈哈")
    page.fill("#id_price_1", "2.00")
    page.set_input_files(
        "#id_photos",
        files=[{"name": "shelf.png", "mimeType": "image/png", "buffer": picture("PNG", (120, 90))}],
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("#save-visit")
    page.wait_for_url(re.compile(r"/visits/\d+/$"))

    visit = Visit.objects.get()
    assert (visit.status, visit.far_from_customer, visit.distance_m) == ("done", False, 55)
    assert visit.photos.count() == 1
    assert page.locator("#checkin .checkin-ok").inner_text() == "55 m"
    assert page.locator("#checkin .checkin-flag").count() == 0
    page.wait_for_selector("#photo-list img")
    assert page.evaluate("document.querySelector('#photo-list img').naturalWidth") == 120

    page.goto("/visits/today/?lat=32.5205&lon=112.36")
    assert page.locator(f"#stop-{customer.pk}").count() == 0
    assert page.locator(f"#done-{visit.pk}").count() == 1
    assert problems == []
