"""The warnings page on a phone: readable without sideways scrolling, nothing blocked by the CSP."""

import pytest

from dealercrm.retention.services import refresh
from dealercrm.retention.tests.history import AS_OF, buy, every
from dealercrm.testing import log_in, watch_for_blocked_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_reads_own_warnings_on_a_phone_and_opens_the_customer(phone_page, personas):
    buy(personas.rep_customer, every(10, 400, 190))
    refresh(personas.company, AS_OF)
    page = phone_page
    problems = watch_for_blocked_content(page)
    log_in(page, "alice")

    page.goto("/warnings/")
    row = page.locator(f"#warning-{personas.rep_customer.pk}")
    assert "190" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    row.locator("a").first.click()
    page.wait_for_selector("#warning-dormant")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert problems == []
