"""On a phone: a rep opens today's agenda, sees a birthday and marks it done."""

import pytest

from dealercrm.care.models import CareRecord
from dealercrm.companies.services import local_today
from dealercrm.testing import log_in, watch_for_blocked_content

from .helpers import with_birthday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_marks_a_birthday_done_on_a_phone(phone_page, personas):
    today = local_today(personas.company)
    with_birthday(personas.rep_customer, "王老板", f"1972-{today:%m-%d}", role="owner")
    page = phone_page
    problems = watch_for_blocked_content(page)
    log_in(page, "alice")

    page.goto("/agenda/")
    item = page.locator("#kind-birthday .agenda-item").first
    assert "王老板" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    item.locator("button[type=submit]").click()
    page.wait_for_selector("#kind-birthday .agenda-done")
    assert CareRecord.objects.filter(customer=personas.rep_customer).count() == 1
    assert problems == []
