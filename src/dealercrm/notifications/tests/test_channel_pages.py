"""The boss's channel settings (secrets shown masked, a test message) and the deliveries page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dealercrm.notifications.choices import ChannelKind, DeliveryStatus
from dealercrm.notifications.models import Channel, Delivery

TOKEN = "0123456789abcdef-SECRETTOKEN-fedcba9876543210"
SECRET = "SECsigning-secret-abcdefghijklmnop-9876"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def dingtalk(personas, robot):
    return Channel.objects.create(
        company=personas.company,
        kind=ChannelKind.DINGTALK,
        name="sales group",
        webhook_url=f"{robot.url}/dingtalk/send?access_token={TOKEN}",
        secret=SECRET,
    )


@pytest.mark.parametrize("role", ["manager", "clerk", "rep"])
def test_only_the_boss_opens_the_channel_settings(personas, role):
    user = getattr(personas, role)
    client = _client(user)

    assert client.get(reverse("notifications:channels")).status_code == 403
    assert client.get(reverse("notifications:deliveries")).status_code == 403
    response = client.post(reverse("notifications:channels"), {"kind": "email", "name": "x"})
    assert response.status_code == 403
    assert not Channel.objects.exists()


def test_another_companys_channel_is_not_found(personas, dingtalk):
    client = _client(personas.outsider)

    assert client.get(reverse("notifications:channel_edit", args=[dingtalk.pk])).status_code == 404
    for name in ("channel_delete", "channel_test"):
        assert client.post(reverse(f"notifications:{name}", args=[dingtalk.pk])).status_code == 404
    assert Channel.objects.filter(pk=dingtalk.pk).exists()


def test_the_boss_adds_a_robot_and_sees_its_secrets_masked(personas, robot):
    client = _client(personas.boss)
    url = f"{robot.url}/dingtalk/send?access_token={TOKEN}"

    response = client.post(
        reverse("notifications:channels"),
        {
            "kind": "dingtalk",
            "name": "sales group",
            "webhook_url": url,
            "secret": SECRET,
            "enabled": "on",
        },
        follow=True,
    )

    channel = Channel.objects.get(company=personas.company)
    assert (channel.kind, channel.webhook_url, channel.secret, channel.enabled) == (
        ChannelKind.DINGTALK,
        url,
        SECRET,
        True,
    )
    page = _text(response)
    assert "sales group" in page and "/dingtalk/send?…3210" in page and "…9876" in page
    assert TOKEN not in page and SECRET not in page
    edit = _text(client.get(reverse("notifications:channel_edit", args=[channel.pk])))
    assert TOKEN not in edit and SECRET not in edit


def test_saving_without_the_secrets_keeps_them(personas, dingtalk):
    client = _client(personas.boss)

    response = client.post(
        reverse("notifications:channel_edit", args=[dingtalk.pk]),
        {"name": "renamed", "webhook_url": "", "secret": ""},
    )

    assert response.status_code == 302
    dingtalk.refresh_from_db()
    assert (dingtalk.name, dingtalk.secret, dingtalk.enabled) == ("renamed", SECRET, False)
    assert TOKEN in dingtalk.webhook_url

    client.post(
        reverse("notifications:channel_edit", args=[dingtalk.pk]),
        {"name": "renamed", "clear_secret": "on", "enabled": "on"},
    )
    dingtalk.refresh_from_db()
    assert (dingtalk.secret, dingtalk.enabled) == ("", True)


def test_a_webhook_on_another_host_is_refused(personas, settings):
    settings.WEBHOOK_HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
    client = _client(personas.boss)

    response = client.post(
        reverse("notifications:channels"),
        {"kind": "wecom", "name": "group", "webhook_url": "http://10.0.0.1/admin"},
    )

    assert response.status_code == 200
    assert "qyapi.weixin.qq.com" in _text(response)
    assert not Channel.objects.exists()


def test_bad_channels_are_refused_with_the_reason(personas, robot):
    client = _client(personas.boss)
    Channel.objects.create(company=personas.company, kind=ChannelKind.EMAIL, name="mail")
    cases = [
        ({"kind": "email", "name": "mail 2"}, "already has an e-mail channel"),
        ({"kind": "email", "name": "mail"}, "already called"),
        ({"kind": "wecom", "name": "g"}, "Paste the robot"),
        (
            {"kind": "wecom", "name": "g", "webhook_url": robot.webhook("w"), "secret": "x"},
            "no signing secret",
        ),
    ]
    for data, message in cases:
        response = client.post(reverse("notifications:channels"), data)
        assert message in _text(response)
    assert Channel.objects.count() == 1


def test_the_test_button_says_what_the_robot_answered(personas, dingtalk, robot):
    client = _client(personas.boss)

    response = client.post(reverse("notifications:channel_test", args=[dingtalk.pk]), follow=True)

    assert "errcode 0" in _text(response)
    [payload] = robot.payloads("dingtalk")
    assert "test message" in payload["markdown"]["text"]

    robot.answers = {"dingtalk": [(200, {"errcode": 310000, "errmsg": "sign not match"})]}
    response = client.post(reverse("notifications:channel_test", args=[dingtalk.pk]), follow=True)
    assert "310000" in _text(response) and "sign not match" in _text(response)


def test_the_boss_deletes_a_channel(personas, dingtalk):
    Delivery.objects.create(
        company=personas.company, target=f"channel:{dingtalk.pk}", key="k", status="sent"
    )

    response = _client(personas.boss).post(
        reverse("notifications:channel_delete", args=[dingtalk.pk])
    )

    assert response.status_code == 302
    assert not Channel.objects.exists() and not Delivery.objects.exists()


def test_the_deliveries_page_lists_failures_first_with_their_error(personas, dingtalk):
    company = personas.company
    Delivery.objects.create(
        company=company, target=f"channel:{dingtalk.pk}", key="visit:1", status="sent"
    )
    Delivery.objects.create(
        company=company,
        target=f"email:{personas.rep.pk}",
        key="birthday:2",
        status=DeliveryStatus.FAILED,
        attempts=2,
        last_error="The robot answered HTTP 500.",
    )
    Delivery.objects.create(
        company=personas.outsider_company, target="channel:999", key="outsider-key", status="sent"
    )

    page = _text(_client(personas.boss).get(reverse("notifications:deliveries")))

    assert page.index("birthday:2") < page.index("visit:1")
    assert "The robot answered HTTP 500." in page and "e-mail to 张爱丽" in page
    assert "sales group" in page and "outsider-key" not in page
