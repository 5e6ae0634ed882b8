"""Follow-ups on a customer: added, shown (overdue marked), done, and scoped to who sees it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dealercrm.reminders import services
from dealercrm.reminders.models import Reminder
from dealercrm.testing import UserFactory


def _today():
    return timezone.localdate()


def _add(personas, *, assignee=None, due_on=None, text="回访新品铺货", customer=None):
    return services.add_follow_up(
        customer or personas.rep_customer,
        assignee=assignee or personas.rep,
        due_on=due_on or _today(),
        text=text,
        actor=personas.manager,
    )


def test_a_rep_adds_a_follow_up_on_own_customer_from_its_page(client, personas):
    client.force_login(personas.rep)
    customer = personas.rep_customer
    page = client.get(reverse("customers:detail", args=[customer.pk]))
    assert b'id="reminder-form"' in page.content
    response = client.post(
        reverse("reminders:add", args=[customer.pk]),
        {"due_on": "2026-12-01", "text": "  带样品去谈陈列  ", "assignee": personas.rep.pk},
    )
    assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert (reminder.customer, reminder.assignee, reminder.created_by) == (
        customer,
        personas.rep,
        personas.rep,
    )
    assert (reminder.due_on, reminder.text) == (dt.date(2026, 12, 1), "带样品去谈陈列")
    assert "带样品去谈陈列" in client.get(response["Location"]).content.decode()


def test_the_add_form_defaults_to_the_customers_owner(client, personas):
    client.force_login(personas.manager)
    page = client.get(reverse("customers:detail", args=[personas.rep_customer.pk]))
    html = page.content.decode().split('id="reminder-form"')[1].split("</form>")[0]
    assert f'<option value="{personas.rep.pk}" selected>' in html
    # bob may not see alice's customer: he is not offered.
    assert f'<option value="{personas.other_rep.pk}"' not in html


def test_an_htmx_add_answers_the_section_with_the_new_follow_up(client, personas):
    client.force_login(personas.manager)
    response = client.post(
        reverse("reminders:add", args=[personas.rep_customer.pk]),
        {"due_on": _today().isoformat(), "text": "催收货款", "assignee": personas.rep.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card mb-3" id="reminders"')
    assert "催收货款" in html


def test_a_follow_up_without_text_or_date_is_refused_and_nothing_is_saved(client, personas):
    client.force_login(personas.rep)
    response = client.post(
        reverse("reminders:add", args=[personas.rep_customer.pk]),
        {"due_on": "", "text": " ", "assignee": personas.rep.pk},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    html = response.content.decode()
    assert "Enter the day it is due." in html and "Say what is to be done." in html
    assert not Reminder.objects.exists()


def test_a_follow_up_for_a_rep_who_does_not_own_the_customer_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        _add(personas, assignee=personas.other_rep)
    assert "assignee" in error.value.message_dict
    assert not Reminder.objects.exists()


def test_a_follow_up_for_an_inactive_login_or_another_company_is_refused(personas):
    gone = UserFactory(company=personas.company, role="manager", is_active=False)
    for assignee in (gone, personas.outsider):
        with pytest.raises(ValidationError):
            _add(personas, assignee=assignee)
    assert not Reminder.objects.exists()


def test_a_rep_cannot_add_or_see_follow_ups_on_another_reps_customer(client, personas):
    theirs = _add(personas, assignee=personas.other_rep, customer=personas.other_rep_customer)
    client.force_login(personas.rep)
    response = client.post(
        reverse("reminders:add", args=[personas.other_rep_customer.pk]),
        {"due_on": "2026-12-01", "text": "偷看", "assignee": personas.rep.pk},
    )
    assert response.status_code == 404
    assert client.post(reverse("reminders:done", args=[theirs.pk])).status_code == 404
    assert "偷看" not in client.get(reverse("reminders:list")).content.decode()
    theirs.refresh_from_db()
    assert theirs.done_at is None
    assert Reminder.objects.count() == 1


def test_an_outsider_gets_404_on_the_companys_customers_and_reminders(client, personas):
    reminder = _add(personas)
    client.force_login(personas.outsider)
    add_url = reverse("reminders:add", args=[personas.rep_customer.pk])
    assert client.post(add_url, {"text": "x"}).status_code == 404
    assert client.post(reverse("reminders:done", args=[reminder.pk])).status_code == 404


def test_marking_done_takes_the_follow_up_off_the_customer_page(client, personas):
    reminder = _add(personas)
    client.force_login(personas.rep)
    detail = reverse("customers:detail", args=[personas.rep_customer.pk])
    assert f'id="reminder-{reminder.pk}"' in client.get(detail).content.decode()
    response = client.post(reverse("reminders:done", args=[reminder.pk]), {"next": detail})
    assert response["Location"] == detail
    reminder.refresh_from_db()
    assert reminder.done_at is not None
    assert f'id="reminder-{reminder.pk}"' not in client.get(detail).content.decode()


def test_done_twice_keeps_the_first_time(personas):
    reminder = _add(personas)
    first = services.complete(reminder, personas.rep).done_at
    assert services.complete(reminder, personas.rep).done_at == first


def test_done_never_redirects_off_the_site(client, personas):
    reminder = _add(personas)
    client.force_login(personas.rep)
    response = client.post(
        reverse("reminders:done", args=[reminder.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("reminders:list")


def test_overdue_follow_ups_are_marked_on_the_customer_page(client, personas):
    overdue = _add(personas, due_on=_today() - dt.timedelta(days=1), text="早该去了")
    _add(personas, due_on=_today() + dt.timedelta(days=3), text="下周去")
    client.force_login(personas.rep)
    page = client.get(reverse("customers:detail", args=[personas.rep_customer.pk]))
    section = page.content.decode().split('id="reminders"')[1].split("</section>")[0]
    assert section.count('class="badge text-bg-danger overdue"') == 1
    assert section.index(f'id="reminder-{overdue.pk}"') < section.index("下周去")


def test_my_list_shows_my_open_follow_ups_overdue_first_then_by_date(client, personas):
    today = _today()
    later = _add(personas, due_on=today + dt.timedelta(days=5), text="五天后")
    overdue = _add(personas, due_on=today - dt.timedelta(days=2), text="两天前")
    due = _add(personas, due_on=today, text="今天")
    done = _add(personas, due_on=today - dt.timedelta(days=9), text="做完了")
    services.complete(done, personas.rep)
    _add(personas, assignee=personas.manager, text="经理的")
    client.force_login(personas.rep)
    listed = client.get(reverse("reminders:list")).context["page"].object_list
    assert [r.pk for r in listed] == [overdue.pk, due.pk, later.pk]


def test_open_for_answers_what_is_due_until_a_day(personas):
    today = _today()
    due = _add(personas, due_on=today)
    _add(personas, due_on=today + dt.timedelta(days=1))
    _add(personas, assignee=personas.manager)
    assert list(services.open_for(personas.rep, today)) == [due]


def test_managers_may_filter_the_list_by_assignee_and_a_rep_may_not(client, personas):
    _add(personas, text="爱丽的")
    _add(personas, assignee=personas.manager, text="经理的")
    client.force_login(personas.manager)

    def texts(**params):
        page = client.get(reverse("reminders:list"), params).context["page"]
        return sorted(r.text for r in page.object_list)

    assert texts() == ["经理的"]
    assert texts(assignee=personas.rep.pk) == ["爱丽的"]
    assert texts(assignee="all") == ["爱丽的", "经理的"]
    client.force_login(personas.rep)
    assert texts(assignee=personas.manager.pk) == ["爱丽的"]
    assert texts(assignee="all") == ["爱丽的"]


def test_the_menu_count_is_my_follow_ups_due_today_or_earlier(rf, personas):
    from django.template import Context, Template

    today = _today()
    _add(personas, due_on=today - dt.timedelta(days=1))
    _add(personas, due_on=today)
    _add(personas, due_on=today + dt.timedelta(days=1))
    _add(personas, assignee=personas.manager)
    request = rf.get("/")
    request.user = personas.rep
    template = Template("{% load reminders_tags %}{% due_follow_ups as n %}{{ n }}")
    assert template.render(Context({"request": request})) == "2"
