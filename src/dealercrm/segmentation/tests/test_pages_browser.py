"""The classes page in a real browser: the Pareto chart under the Content Security Policy."""

from datetime import date
from decimal import Decimal

import pytest

from dealercrm.segmentation import services
from dealercrm.segmentation.tests.helpers import Line, add_lines
from dealercrm.testing import log_in, watch_for_blocked_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page_fixture", ["browser_page", "phone_page"])
def test_the_boss_sees_the_pareto_chart_and_recomputes(request, personas, page_fixture):
    page = request.getfixturevalue(page_fixture)
    today = services.local_today(personas.company)
    add_lines(
        personas.company,
        [
            Line(personas.rep_customer.pk, today, Decimal(1), Decimal("900"), None),
            Line(personas.other_rep_customer.pk, date(2000, 1, 1), Decimal(1), Decimal("5"), None),
        ],
    )
    services.classify(personas.company)
    problems = watch_for_blocked_content(page)
    log_in(page, "boss")
    page.goto("/classes/")
    page.wait_for_selector("#pareto-chart canvas")
    box = page.locator("#pareto-chart").bounding_box()
    assert box["height"] > 200 and box["width"] > 300
    page.click("#recompute")
    page.wait_for_selector("#run-result")
    assert problems == []
