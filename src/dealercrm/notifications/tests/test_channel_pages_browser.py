"""The channel settings on a phone: the boss adds a group robot, sends a test message and
sees the address masked."""

import pytest

from dealercrm.notifications.models import Channel
from dealercrm.testing import log_in, watch_for_blocked_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKEN = "tok-0123456789-secret"


def test_the_boss_adds_a_robot_and_tests_it_on_a_phone(phone_page, personas, robot):
    page = phone_page
    problems = watch_for_blocked_content(page)
    log_in(page, "boss")

    page.goto("/notifications/channels/")
    page.select_option("#id_kind", "wecom")
    page.fill("#id_name", "销售群")
    page.fill("#id_webhook_url", f"{robot.url}/wecom/send?key={TOKEN}")
    page.click("#add-channel")
    page.wait_for_selector(".channel")

    assert TOKEN not in page.content()
    assert "/wecom/send?…cret" in page.locator(".channel-url").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click(".channel-test")
    page.wait_for_selector(".alert-success")
    assert "errcode 0" in page.locator(".alert-success").inner_text()
    assert robot.payloads("wecom")[0]["msgtype"] == "markdown"
    assert Channel.objects.get().webhook_url.endswith(TOKEN)
    assert problems == []
