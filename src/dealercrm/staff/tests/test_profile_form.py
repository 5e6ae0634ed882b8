"""The profile form: a manager of the same company and not oneself, no circles, left needs a day."""

import datetime as dt

import pytest
from django.urls import reverse

from dealercrm.staff.models import Employee
from dealercrm.staff.services import profile_for
from dealercrm.testing import UserFactory

NEW = "/staff/new/"


def _post(client, url, **fields):
    data = {"name": "新员工", "status": "active", **fields}
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def manager_client(client, personas):
    client.force_login(personas.manager)
    return client


def test_a_manager_creates_a_profile_without_a_login(manager_client, personas):
    boss = profile_for(personas.boss)
    response = _post(
        manager_client, NEW, name="孙司机", position="司机", hire_date="2024-03-01", manager=boss.pk
    )
    employee = Employee.objects.get(name="孙司机")
    assert response["Location"] == reverse("staff:detail", args=[employee.pk])
    assert (employee.company, employee.manager, employee.user) == (personas.company, boss, None)
    assert employee.hire_date == dt.date(2024, 3, 1)


@pytest.mark.parametrize("role", ["clerk", "rep"])
def test_clerks_and_reps_may_not_create_or_edit_profiles(client, personas, role):
    client.force_login(getattr(personas, role))
    assert _post(client, NEW).status_code == 403
    own = profile_for(getattr(personas, role))
    assert _post(client, reverse("staff:edit", args=[own.pk]), name="改名").status_code == 403
    own.refresh_from_db()
    assert own.name != "改名" and not Employee.objects.filter(name="新员工").exists()


def test_a_manager_from_another_company_is_refused(manager_client, personas):
    theirs = profile_for(personas.outsider)
    response = _post(manager_client, NEW, manager=theirs.pk)
    assert response.status_code == 200
    assert "manager" in response.context["form"].errors
    assert not Employee.objects.filter(name="新员工").exists()


def test_an_employee_cannot_be_their_own_manager(manager_client, personas):
    alice = profile_for(personas.rep)
    response = _post(manager_client, reverse("staff:edit", args=[alice.pk]), manager=alice.pk)
    assert "manager" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.manager == profile_for(personas.manager) and alice.name == "张爱丽"


def test_managers_cannot_go_round_in_a_circle(manager_client, personas):
    manager = profile_for(personas.manager)
    alice = profile_for(personas.rep)  # reports to the manager
    response = _post(
        manager_client, reverse("staff:edit", args=[manager.pk]), name="李经理", manager=alice.pk
    )
    errors = response.context["form"].errors["manager"]
    assert errors == ["张爱丽 reports to 李经理 already: managers cannot go round in a circle."]
    manager.refresh_from_db()
    assert manager.manager is None


def test_left_needs_the_day_the_employee_left(manager_client, personas):
    bob = profile_for(personas.other_rep)
    url = reverse("staff:edit", args=[bob.pk])
    response = _post(manager_client, url, name="刘波", status="left")
    assert response.context["form"].errors["left_on"] == ["Enter the day the employee left."]
    bob.refresh_from_db()
    assert bob.status == "active"


def test_left_with_a_day_moves_no_customer(manager_client, personas):
    bob = profile_for(personas.other_rep)
    url = reverse("staff:edit", args=[bob.pk])
    response = _post(manager_client, url, name="刘波", status="left", left_on="2026-11-20")
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.status, bob.left_on) == ("left", dt.date(2026, 11, 20))
    assert bob.user == personas.other_rep  # a profile keeps its login
    personas.other_rep_customer.refresh_from_db()
    assert personas.other_rep_customer.rep == personas.other_rep
    page = manager_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="left-with-customers"' in page.content.decode()


def test_a_login_of_the_company_without_a_profile_can_be_linked(manager_client, personas):
    newcomer = UserFactory(username="newbie", company=personas.company, role="rep")
    stranger = UserFactory(username="stranger", company=personas.outsider_company, role="rep")
    form = manager_client.get(NEW).context["form"]
    offered = set(form.fields["user"].queryset)
    assert newcomer in offered and stranger not in offered and personas.rep not in offered
    response = _post(manager_client, NEW, name="新人", user=newcomer.pk)
    assert response.status_code == 302
    assert profile_for(newcomer).name == "新人"
    response = _post(manager_client, NEW, name="冒名", user=personas.rep.pk)
    assert "user" in response.context["form"].errors
    assert not Employee.objects.filter(name="冒名").exists()


def test_an_outsider_cannot_edit_the_companys_profiles(client, personas):
    alice = profile_for(personas.rep)
    client.force_login(personas.outsider)
    assert _post(client, reverse("staff:edit", args=[alice.pk]), name="x").status_code == 404
