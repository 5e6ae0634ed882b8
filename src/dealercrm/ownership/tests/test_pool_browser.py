"""On a phone: a rep opens the pool, claims a customer and finds it among their own."""

from __future__ import annotations

import re

from dealercrm.customers.models import Customer
from dealercrm.testing import build_personas, log_in, make_customer, watch_for_blocked_content


def test_a_rep_claims_from_the_pool_on_a_phone(phone_page):
    personas = build_personas()
    make_customer(personas.company, code="P001", name="公海小卖部", address="新野县城关镇")
    page = phone_page
    problems = watch_for_blocked_content(page)
    log_in(page, "alice")

    page.goto("/ownership/pool/")
    assert page.locator("#claimed-today").inner_text()
    page.click("text=公海小卖部")
    page.wait_for_url(re.compile(r"/ownership/pool/\d+/$"))
    page.click("#claim-customer")
    page.wait_for_url(re.compile(r"/customers/\d+/$"))

    assert "公海小卖部" in page.content()
    assert page.locator("#current-rep").inner_text().strip() == "张爱丽"
    assert Customer.objects.get(code="P001", company=personas.company).rep == personas.rep
    assert problems == []
