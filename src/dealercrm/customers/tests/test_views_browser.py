"""The customer pages in a real browser: htmx under the Content Security Policy, live search,
cascading division selects, and a rep filling in the owner's personal side."""

import re

import pytest
from django.urls import reverse

from dealercrm.testing import log_in, make_customer, watch_for_blocked_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_searches_opens_the_customer_and_records_the_owners_hobbies(browser_page, personas):
    make_customer(personas.company, rep=personas.rep, code="A003", name="红旗粮油店")
    page = browser_page
    problems = watch_for_blocked_content(page)
    log_in(page, "alice")
    rows = page.locator("#customer-results a.customer-link")
    assert rows.count() == 2

    page.fill("#search", "hxcs")  # htmx swaps the results as the rep types
    page.wait_for_url(re.compile(r"q=hxcs"))
    page.wait_for_function("document.querySelectorAll('#customer-results tbody tr').length === 1")
    page.click("#customer-results a.customer-link:has-text('华鑫超市')")

    page.click("#add-owner")
    page.fill("#id_name", "王建国")
    page.fill("#id_mobile", "13700001111")
    page.click("#save-contact")
    page.click("#edit-owner")
    page.fill("#id_hobbies", "钓鱼")
    page.fill("#id_birthday", "农历八月十五")
    page.click("#save-contact")

    trail = page.locator("#audit-trail")
    assert "钓鱼" in trail.inner_text()
    assert "农历八月十五" in page.locator("#section-5").inner_text()
    assert problems == []


def test_province_city_and_county_selects_cascade(browser_page, personas):
    page = browser_page
    problems = watch_for_blocked_content(page)
    log_in(page, "boss")
    page.goto(reverse("customers:create"))

    page.select_option("#id_province", "410000")
    page.wait_for_selector("#id_city option[value='411300']", state="attached")
    page.select_option("#id_city", "411300")
    page.wait_for_selector("#id_county option[value='411329']", state="attached")

    page.select_option("#id_province", "110000")  # a municipality: districts, no cities
    page.wait_for_selector("#id_county option[value='110105']", state="attached")
    assert page.locator("#id_city option").count() == 1
    assert problems == []
