"""The job on the real agenda (care.agenda.company_agenda): each rep hears only of their own
customers, and the jobs app records a failed run to retry and show."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from dealercrm.jobs import services as jobs
from dealercrm.jobs.choices import RunStatus
from dealercrm.notifications.choices import ChannelKind
from dealercrm.notifications.models import Channel, Notification
from dealercrm.reminders.services import add_follow_up

DAY = date(2026, 11, 27)


@pytest.fixture
def follow_ups(personas):
    for user, address in [(personas.rep, "alice@example.com"), (personas.other_rep, "bob@x.cn")]:
        user.email = address
        user.save(update_fields=["email"])
    Channel.objects.create(company=personas.company, kind=ChannelKind.EMAIL, name="mail")
    add_follow_up(
        personas.rep_customer,
        assignee=personas.rep,
        due_on=DAY,
        text="Bring the new price list",
        actor=personas.rep,
    )
    add_follow_up(
        personas.other_rep_customer,
        assignee=personas.other_rep,
        due_on=DAY,
        text="Collect the unpaid invoice",
        actor=personas.other_rep,
    )
    return personas


def test_a_reps_email_and_digest_hold_only_their_own_customers(follow_ups):
    personas = follow_ups

    run = jobs.run_now(personas.company, "agenda", DAY)

    assert run.status == RunStatus.DONE
    alice = next(message for message in mail.outbox if message.to == ["alice@example.com"])
    assert "Bring the new price list" in alice.body
    assert "Collect the unpaid invoice" not in alice.body and "红星便利店" not in alice.body
    bob = next(message for message in mail.outbox if message.to == ["bob@x.cn"])
    assert "Collect the unpaid invoice" in bob.body and "华鑫超市" not in bob.body
    digest = Notification.objects.get(recipient=personas.rep, key="agenda:2026-11-27")
    assert "Bring the new price list" in digest.body and "红星便利店" not in digest.body
    assert not Notification.objects.filter(company=personas.outsider_company).exists()


def test_a_failed_run_is_recorded_for_the_jobs_page(follow_ups, robot):
    personas = follow_ups
    Channel.objects.create(
        company=personas.company,
        kind=ChannelKind.WECOM,
        name="group",
        webhook_url=robot.webhook("wecom"),
    )
    robot.answers = {"wecom": [(502, {"errcode": -1})]}

    run = jobs.run_now(personas.company, "agenda", DAY)

    assert run.status == RunStatus.FAILED
    assert "HTTP 502" in run.error
    # The e-mails still went; a second run sends only the robot's digest.
    emails = len(mail.outbox)
    run = jobs.run_now(personas.company, "agenda", DAY)
    assert run.status == RunStatus.DONE
    assert len(mail.outbox) == emails and len(robot.payloads("wecom")) == 2
