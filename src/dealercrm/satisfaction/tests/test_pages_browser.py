"""On a phone: the customer opens the link, taps a score and sends it; a manager reads the
report with its charts. Nothing is blocked by the content security policy."""

import re

import pytest

from dealercrm.satisfaction import services
from dealercrm.satisfaction.models import Survey
from dealercrm.testing import log_in, watch_for_blocked_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_answers_the_link_on_a_phone(phone_page, personas):
    _link, raw = services.create_link(personas.rep_customer, personas.rep)
    page = phone_page
    problems = watch_for_blocked_content(page)

    page.goto(f"/s/{raw}/")
    assert "阿尔法食品" in page.inner_text("#company-name")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    button = page.locator("label[for=id_score_9]")
    box = button.bounding_box()
    assert box["height"] >= 40 and box["width"] >= 40  # big enough for a thumb
    button.click()
    page.fill("#id_comment", "业务员很负责")
    page.click("#send-answer")

    page.wait_for_selector("#answer-thanks")
    survey = Survey.objects.get()
    assert (survey.score, survey.comment, survey.source) == (9, "业务员很负责", "link")
    page.goto(f"/s/{raw}/")
    assert page.locator("#answer-used").count() == 1
    assert problems == []


def test_the_report_draws_its_charts(browser_page, personas):
    services.record_survey(personas.rep_customer, score=9, source="visit", actor=personas.boss)
    services.record_survey(personas.rep_customer, score=4, source="phone", actor=personas.boss)
    page = browser_page
    problems = watch_for_blocked_content(page)
    log_in(page, "manager")

    page.goto("/satisfaction/")
    page.wait_for_url(re.compile(r"/satisfaction/$"))
    page.wait_for_selector("#chart-month canvas")
    assert page.locator("#chart-class canvas").count() == 1
    assert page.inner_text("#overall-nps") == "0.0"
    assert problems == []
