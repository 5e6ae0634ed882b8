"""The daily agenda job: in the app, by e-mail and to WeCom / DingTalk robots (a real HTTP
server on 127.0.0.1), each item once per target, failures retried."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import get_language

from dealercrm.notifications import robots, sending
from dealercrm.notifications.choices import ChannelKind, DeliveryStatus
from dealercrm.notifications.models import Channel, Delivery, Notification
from dealercrm.notifications.services import mark_read, notify
from dealercrm.notifications.tests.conftest import item_for
from dealercrm.testing import make_customer

DAY = date(2026, 11, 27)
SECRET = "SECtest-secret-0123456789"


@pytest.fixture
def company_setup(personas, robot, agenda):
    """Alice and bob with e-mail addresses, one item each, e-mail + WeCom + DingTalk channels."""
    for user, address in [
        (personas.rep, "alice@example.com"),
        (personas.other_rep, "bob@example.com"),
        (personas.boss, "boss@example.com"),
    ]:
        user.email = address
        user.save(update_fields=["email"])
    company = personas.company
    Channel.objects.create(company=company, kind=ChannelKind.EMAIL, name="mail")
    wecom = Channel.objects.create(
        company=company, kind=ChannelKind.WECOM, name="wecom", webhook_url=robot.webhook("wecom")
    )
    dingtalk = Channel.objects.create(
        company=company,
        kind=ChannelKind.DINGTALK,
        name="dingtalk",
        webhook_url=robot.webhook("dingtalk"),
        secret=SECRET,
    )
    agenda[DAY] = [
        item_for(
            personas.rep_customer, personas.rep, "birthday", DAY, "Birthday of Mr Wang (华鑫超市)"
        ),
        item_for(personas.other_rep_customer, personas.other_rep, "visit", DAY, "Visit 红星便利店"),
    ]
    return personas, wecom, dingtalk


def _run(company, day=DAY) -> str:
    return sending.scheduled_send(company, day)


def test_robots_get_one_markdown_digest_with_every_item_by_rep(company_setup, robot):
    personas, _wecom, _dingtalk = company_setup

    summary = _run(personas.company)

    [wecom_payload] = robot.payloads("wecom")
    assert wecom_payload["msgtype"] == "markdown"
    content = wecom_payload["markdown"]["content"]
    assert "Birthday of Mr Wang (华鑫超市)" in content and "Visit 红星便利店" in content
    assert "张爱丽 (1)" in content and "刘波 (1)" in content
    assert "Birthdays 1" in content and "Visits due 1" in content
    [dingtalk_payload] = robot.payloads("dingtalk")
    assert dingtalk_payload["msgtype"] == "markdown"
    assert set(dingtalk_payload["markdown"]) == {"title", "text"}
    assert "阿尔法食品" in dingtalk_payload["markdown"]["title"]
    assert "Visit 红星便利店" in dingtalk_payload["markdown"]["text"]
    assert "failed" in summary and "0 targets failed" in summary


def test_dingtalk_requests_carry_a_signature_valid_for_the_secret(company_setup, robot):
    personas, _wecom, _dingtalk = company_setup

    _run(personas.company)

    [request] = [item for item in robot.received if item.path == "/dingtalk/send"]
    assert request.query["access_token"] == "tok-dingtalk-1234567890"
    timestamp = request.query["timestamp"]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.query["sign"] == expected  # parse_qsl decoded the URL encoding
    [wecom_request] = [item for item in robot.received if item.path == "/wecom/send"]
    assert "sign" not in wecom_request.query


def test_dingtalk_signature_matches_a_reference_value():
    # Computed with: printf '1700000000000\nSECtest-secret' | openssl dgst -sha256 \
    #   -hmac 'SECtest-secret' -binary | base64
    assert robots.dingtalk_sign("SECtest-secret", 1700000000000) == (
        "LC7hxZ4wslL%2BP7j7gu1hoQ%2BwzByekL%2ByWgiUMekZs0g%3D"
    )
    assert robots.signed_url("https://oapi.dingtalk.com/robot/send?access_token=x", "", 1) == (
        "https://oapi.dingtalk.com/robot/send?access_token=x"
    )


def test_each_user_gets_an_email_with_only_their_own_items(company_setup):
    personas, _wecom, _dingtalk = company_setup

    _run(personas.company)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"alice@example.com", "bob@example.com", "boss@example.com"}
    alice = by_address["alice@example.com"]
    assert "华鑫超市" in alice.body and "红星便利店" not in alice.body
    assert "红星便利店" in by_address["bob@example.com"].body
    assert "华鑫超市" not in by_address["bob@example.com"].body
    assert "(1 item)" in alice.subject and "2026-11-27" in alice.subject
    # The boss owns nothing: a summary of the company's day, not its items.
    boss = by_address["boss@example.com"]
    assert "The company's agenda: 2 items." in boss.body
    assert "张爱丽: 1" in boss.body and "刘波: 1" in boss.body
    assert "华鑫超市" not in boss.body


def test_each_user_gets_one_in_app_digest_of_own_items(company_setup):
    personas, _wecom, _dingtalk = company_setup

    _run(personas.company)
    _run(personas.company)

    alice = Notification.objects.get(recipient=personas.rep)
    assert alice.key == "agenda:2026-11-27"
    assert "华鑫超市" in alice.body and "红星便利店" not in alice.body
    assert Notification.objects.filter(recipient=personas.rep).count() == 1
    boss = Notification.objects.get(recipient=personas.boss)
    assert "The company's agenda: 2 items." in boss.body
    # The clerk owns nothing and gets no summary.
    assert not Notification.objects.filter(recipient=personas.clerk).exists()
    assert not Notification.objects.filter(company=personas.outsider_company).exists()


def test_a_second_run_the_same_day_sends_nothing(company_setup, robot):
    personas, _wecom, _dingtalk = company_setup
    _run(personas.company)
    requests, emails = len(robot.received), len(mail.outbox)

    _run(personas.company)

    assert (len(robot.received), len(mail.outbox)) == (requests, emails) == (2, 3)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_later_day_sends_only_the_items_not_sent_before(company_setup, robot, agenda):
    personas, _wecom, _dingtalk = company_setup
    _run(personas.company)
    tomorrow = DAY + timedelta(days=1)
    new = item_for(personas.rep_customer, personas.rep, "visit", tomorrow, "Visit 华鑫超市")
    agenda[tomorrow] = [agenda[DAY][0], new]  # the birthday is still on the agenda
    robot.received.clear()
    mail.outbox.clear()

    _run(personas.company, tomorrow)

    [payload] = robot.payloads("wecom")
    assert "Visit 华鑫超市" in payload["markdown"]["content"]
    assert "Birthday of Mr Wang" not in payload["markdown"]["content"]
    alice = next(message for message in mail.outbox if message.to == ["alice@example.com"])
    assert "Visit 华鑫超市" in alice.body and "Birthday" not in alice.body


def test_a_failed_send_is_retried_and_then_sends_only_what_failed(company_setup, robot):
    personas, wecom, dingtalk = company_setup
    robot.answers = {"wecom": [(500, {"errcode": -1})]}  # WeCom's first request fails

    with pytest.raises(sending.DeliveryFailed) as failure:
        _run(personas.company)

    assert "HTTP 500" in str(failure.value)
    wecom_rows = Delivery.objects.filter(target=f"channel:{wecom.pk}")
    assert {(row.status, row.attempts) for row in wecom_rows} == {(DeliveryStatus.FAILED, 1)}
    assert all("HTTP 500" in row.last_error for row in wecom_rows)
    # The other targets were still tried, and took their messages.
    assert len(robot.payloads("dingtalk")) == 1 and len(mail.outbox) == 3
    assert set(
        Delivery.objects.filter(target=f"channel:{dingtalk.pk}").values_list("status", flat=True)
    ) == {DeliveryStatus.SENT}

    _run(personas.company)  # the jobs app's retry

    assert len(robot.payloads("wecom")) == 2 and len(robot.payloads("dingtalk")) == 1
    assert len(mail.outbox) == 3
    assert {(row.status, row.attempts) for row in wecom_rows.all()} == {(DeliveryStatus.SENT, 2)}

    _run(personas.company)  # and again: nothing new

    assert len(robot.received) == 3 and len(mail.outbox) == 3


def test_a_robot_refusing_with_an_errcode_is_a_failure(company_setup, robot):
    personas, wecom, _dingtalk = company_setup
    robot.answers = {"wecom": [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]}

    with pytest.raises(sending.DeliveryFailed):
        _run(personas.company)

    row = Delivery.objects.filter(target=f"channel:{wecom.pk}").first()
    assert row.status == DeliveryStatus.FAILED
    assert "93000" in row.last_error and "invalid webhook url" in row.last_error


def test_an_unreachable_robot_fails_without_stopping_the_others(company_setup, robot):
    personas, wecom, _dingtalk = company_setup
    wecom.webhook_url = "http://127.0.0.1:9/wecom/send?key=x"  # nothing listens on port 9
    wecom.save()

    with pytest.raises(sending.DeliveryFailed):
        _run(personas.company)

    assert Delivery.objects.filter(
        target=f"channel:{wecom.pk}", status=DeliveryStatus.FAILED
    ).exists()
    assert len(robot.payloads("dingtalk")) == 1


def test_disabled_channels_and_users_without_address_get_nothing(company_setup, robot):
    personas, wecom, dingtalk = company_setup
    Channel.objects.filter(pk__in=[wecom.pk, dingtalk.pk]).update(enabled=False)
    personas.other_rep.email = ""
    personas.other_rep.save(update_fields=["email"])

    _run(personas.company)

    assert robot.received == []
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alice@example.com",
        "boss@example.com",
    ]


def test_no_email_channel_means_no_email(company_setup):
    personas, _wecom, _dingtalk = company_setup
    Channel.objects.filter(kind=ChannelKind.EMAIL).delete()

    _run(personas.company)

    assert mail.outbox == []


def test_done_items_are_not_sent(company_setup, robot, agenda):
    personas, _wecom, _dingtalk = company_setup
    agenda[DAY] = [
        item_for(personas.rep_customer, personas.rep, "birthday", DAY, "Birthday done", done=True)
    ]

    _run(personas.company)

    assert robot.received == [] and mail.outbox == []


def test_a_long_digest_is_cut_per_rep_and_split_to_fit_wecom(company_setup, robot, agenda):
    personas, wecom, _dingtalk = company_setup
    reps = [personas.rep, personas.other_rep, personas.manager]
    items = []
    for number in range(300):
        rep = reps[number % 3]
        customer = make_customer(personas.company, rep=rep, name=f"客户{number:03d}")
        text = f"Visit 客户{number:03d} " + "很长的说明" * 20
        items.append(item_for(customer, rep, "visit", DAY - timedelta(days=number), text))
    agenda[DAY] = items

    _run(personas.company)

    contents = [payload["markdown"]["content"] for payload in robot.payloads("wecom")]
    assert len(contents) >= 2
    assert all(len(content.encode()) <= 4096 for content in contents)
    everything = "\n".join(contents)
    assert everything.count("… and 90 more") == 3
    # Most urgent first: alice's list shows her 10 oldest visits due, the rest are counted.
    assert "客户297" in everything and "客户270" in everything
    assert "客户267" not in everything and "客户000" not in everything
    assert set(
        Delivery.objects.filter(target=f"channel:{wecom.pk}").values_list("status", flat=True)
    ) == {DeliveryStatus.SENT}
    assert Delivery.objects.filter(target=f"channel:{wecom.pk}").count() == 300
    # The boss's e-mail stays short: a summary, not 300 lines.
    boss = next(message for message in mail.outbox if message.to == ["boss@example.com"])
    assert len(boss.body.splitlines()) < 15


def test_the_digest_is_written_in_the_companys_language(company_setup, settings, monkeypatch):
    personas, _wecom, _dingtalk = company_setup
    settings.LANGUAGE_CODE = "zh-hans"
    languages = []
    monkeypatch.setattr(
        sending, "load_agenda", lambda company, day: languages.append(get_language()) or []
    )

    with translation.override("en"):  # whatever the language of the caller
        _run(personas.company)

    assert languages == ["zh-hans"]


def test_unread_in_app_notices_are_forwarded_by_email_once(company_setup, agenda):
    personas, _wecom, _dingtalk = company_setup
    agenda[DAY] = []
    notify(personas.rep, kind="pool_return", key="p1", title="2 customers back to the pool")
    notify(personas.rep, kind="handover", key="h1", title="Already read")
    mark_read(personas.rep, Notification.objects.get(key="h1").pk)

    _run(personas.company)
    _run(personas.company)

    [alice] = [message for message in mail.outbox if message.to == ["alice@example.com"]]
    assert "2 customers back to the pool" in alice.body
    assert "Already read" not in alice.body
    assert not any(message.to == ["bob@example.com"] for message in mail.outbox)


def test_a_reps_list_puts_what_cannot_wait_before_overdue_visits(company_setup, robot, agenda):
    personas, _wecom, _dingtalk = company_setup
    customer = personas.rep_customer
    visits = [
        item_for(customer, personas.rep, "visit", DAY - timedelta(days=n), f"Overdue visit {n}")
        for n in range(1, 13)
    ]
    birthday = item_for(
        customer, personas.rep, "birthday", DAY + timedelta(days=2), "Gift for Wang"
    )
    complaint = item_for(customer, personas.rep, "complaint", DAY, "Complaint due tomorrow")
    agenda[DAY] = [*visits, birthday, complaint]

    _run(personas.company)

    content = robot.payloads("wecom")[0]["markdown"]["content"]
    lines = [line for line in content.splitlines() if line.startswith("- ")]
    assert lines[:4] == [
        "- Complaint due tomorrow",
        "- Gift for Wang",
        "- Overdue visit 12",
        "- Overdue visit 11",
    ]
    assert "… and 4 more" in content
