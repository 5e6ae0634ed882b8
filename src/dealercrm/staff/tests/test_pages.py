"""Staff pages: who sees what, the list's figures, the employee page, bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from dealercrm.staff import services
from dealercrm.staff.models import Employee, Skill, Training
from dealercrm.staff.services import profile_for
from dealercrm.staff.tests.helpers import alices_book, sale
from dealercrm.testing import UserFactory, make_customer

LIST = "/staff/"


def _detail(employee):
    return reverse("staff:detail", args=[employee.pk])


@pytest.mark.parametrize("role", ["boss", "manager"])
def test_boss_and_manager_see_the_staff_list(client, personas, role):
    client.force_login(getattr(personas, role))
    response = client.get(LIST)
    assert response.status_code == 200
    names = [row.employee.name for row in response.context["rows"]]
    assert "张爱丽" in names and "刘波" in names and "外人" not in names


@pytest.mark.parametrize("role", ["clerk", "rep"])
def test_clerks_and_reps_may_not_open_the_staff_list(client, personas, role):
    client.force_login(getattr(personas, role))
    assert client.get(LIST).status_code == 403


def test_the_list_shows_customers_by_class_and_training_hours_this_year(client, personas):
    alices_book(personas)
    this_year = timezone.localdate().year
    alice = profile_for(personas.rep)
    for day, hours in ((dt.date(this_year, 1, 5), "2.5"), (dt.date(this_year - 1, 12, 5), "9")):
        Training.objects.create(
            company=personas.company,
            employee=alice,
            date=day,
            topic="收款",
            kind="on_the_job",
            hours=Decimal(hours),
        )
    client.force_login(personas.boss)
    rows = {row.employee.name: row for row in client.get(LIST).context["rows"]}
    assert rows["张爱丽"].by_class == {"A": 1, "B": 2, "C": 1}
    assert rows["张爱丽"].unclassified == 1
    assert rows["刘波"].by_class == {"A": 1, "B": 0, "C": 0}
    assert rows["张爱丽"].training_hours == Decimal("2.5")
    html = client.get(LIST).content.decode()
    assert "1 / 2 / 1" in html


def test_the_list_shows_active_employees_unless_asked_for_those_who_left(client, personas):
    bob = profile_for(personas.other_rep)
    bob.status, bob.left_on = "left", dt.date(2026, 1, 31)
    bob.save()
    client.force_login(personas.boss)

    def names(**params):
        return {row.employee.name for row in client.get(LIST, params).context["rows"]}

    assert "刘波" not in names()
    assert names(status="left") == {"刘波"}
    assert {"刘波", "张爱丽"} <= names(status="all")


def test_the_list_filters_by_region_with_the_regions_below(client, personas):
    from dealercrm.regions.models import SalesRegion

    east = SalesRegion.objects.create(company=personas.company, name="东片")
    town = SalesRegion.objects.create(company=personas.company, name="王集镇", parent=east)
    Employee.objects.filter(user=personas.rep).update(sales_region=town)
    client.force_login(personas.manager)
    rows = client.get(LIST, {"region": east.pk}).context["rows"]
    assert [row.employee.name for row in rows] == ["张爱丽"]


def test_list_queries_do_not_grow_with_the_employees(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.boss)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for number in range(15):
        user = UserFactory(company=personas.company, role="rep")
        profile_for(user)
        make_customer(personas.company, rep=user, code=f"Q{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 20


def test_the_employee_page_shows_the_figures(client, personas):
    customers = alices_book(personas)
    sale(customers["A001"], timezone.localdate(), "88.80")
    employee = profile_for(personas.rep)
    employee.phone = "+8613912345678"
    employee.save()
    client.force_login(personas.boss)
    response = client.get(_detail(employee))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/customers/?owner=alice&amp;abc_class=B"' in html
    assert 'id="customer-total">5<' in html
    assert '<a href="tel:+8613912345678">139 1234 5678</a>' in html
    assert 'id="completeness-average">52%<' in html
    assert 'id="sales-total">88.80<' in html
    assert 'id="staff-sales-data"' in html and "staff/staff-charts.js" in html
    assert 'id="training-form"' in html and 'id="assessment-form"' in html


def test_the_employee_page_queries_do_not_grow_with_the_customers(
    client, personas, django_assert_max_num_queries
):
    alice = profile_for(personas.rep)
    client.force_login(personas.boss)
    with django_assert_max_num_queries(30) as few:
        client.get(_detail(alice))
    customers = alices_book(personas)
    for number in range(10):
        sale(customers["N1"], timezone.localdate(), "1")
        make_customer(personas.company, rep=personas.rep, code=f"M{number}")
    skill = Skill.objects.create(company=personas.company, name="陈列")
    for level in (1, 2, 3):
        alice.assessments.create(
            company=personas.company, skill=skill, level=level, assessed_on=timezone.localdate()
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_detail(alice))


def test_a_rep_opens_own_profile_read_only(client, personas):
    client.force_login(personas.rep)
    response = client.get(_detail(profile_for(personas.rep)))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="training-form"' not in html and 'id="edit-employee"' not in html


def test_a_rep_opening_another_employees_page_gets_404(client, personas):
    client.force_login(personas.rep)
    for user in (personas.other_rep, personas.manager):
        employee = profile_for(user)
        assert client.get(_detail(employee)).status_code == 404
        assert client.get(reverse("staff:edit", args=[employee.pk])).status_code == 404


def test_an_outsider_gets_404_on_the_companys_employees(client, personas):
    alice = profile_for(personas.rep)
    client.force_login(personas.outsider)
    assert client.get(_detail(alice)).status_code == 404
    assert client.get(reverse("staff:edit", args=[alice.pk])).status_code == 404
    training = {"date": "2026-01-01", "topic": "x", "kind": "course"}
    assert client.post(reverse("staff:training_add", args=[alice.pk]), training).status_code == 404
    assert not Training.objects.exists()


def test_a_manager_records_a_training_with_a_colleague_as_coach(client, personas):
    alice = profile_for(personas.rep)
    coach = profile_for(personas.manager)
    client.force_login(personas.manager)
    response = client.post(
        reverse("staff:training_add", args=[alice.pk]),
        {
            "date": "2026-03-02",
            "topic": "终端陈列标准",
            "kind": "mentoring",
            "coach": coach.pk,
            "hours": "4",
            "outcome": "能独立完成A类店陈列",
        },
    )
    assert response.status_code == 302
    training = Training.objects.get()
    assert (training.employee, training.coach, training.hours) == (alice, coach, Decimal("4"))
    assert training.recorded_by == personas.manager
    assert "终端陈列标准" in client.get(_detail(alice)).content.decode()


def test_mentoring_needs_a_colleague_and_nobody_coaches_themselves(client, personas):
    alice = profile_for(personas.rep)
    client.force_login(personas.manager)
    url = reverse("staff:training_add", args=[alice.pk])
    base = {"date": "2026-03-02", "topic": "谈判", "kind": "mentoring"}
    response = client.post(url, base, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "choose the colleague" in response.content.decode()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.add_training(
            alice,
            date=dt.date(2026, 3, 2),
            topic="谈判",
            kind="course",
            coach=alice,
            actor=personas.boss,
        )
    assert error.value.message_dict["coach"] == ["An employee cannot coach themselves."]
    assert not Training.objects.exists()


def test_a_rep_may_not_record_trainings_or_assessments_on_own_profile(client, personas):
    alice = profile_for(personas.rep)
    skill = Skill.objects.create(company=personas.company, name="谈判")
    client.force_login(personas.rep)
    training = {"date": "2026-01-01", "topic": "x", "kind": "course"}
    assert client.post(reverse("staff:training_add", args=[alice.pk]), training).status_code == 403
    assessment = {"skill": skill.pk, "level": 5, "assessed_on": "2026-01-01"}
    url = reverse("staff:assessment_add", args=[alice.pk])
    assert client.post(url, assessment).status_code == 403
    assert not alice.assessments.exists() and not Training.objects.exists()


def test_a_manager_assesses_a_skill_and_the_page_shows_the_history(client, personas):
    alice = profile_for(personas.rep)
    skill = Skill.objects.create(company=personas.company, name="谈判")
    client.force_login(personas.manager)
    url = reverse("staff:assessment_add", args=[alice.pk])
    for day, level in (("2025-06-01", 2), ("2026-06-01", 4)):
        response = client.post(url, {"skill": skill.pk, "level": level, "assessed_on": day})
        assert response.status_code == 302
    html = client.get(_detail(alice)).content.decode()
    row = html.split(f'id="skill-{skill.pk}"')[1].split("</tr>")[0]
    history = row.split('class="skill-history')[1]
    assert history.index("2025-06-01: 2") < history.index("2026-06-01: 4")
    assert "4 · " in row.split('class="current-level"')[1].split("</td>")[0]


def test_an_assessment_with_another_companys_skill_or_a_level_of_6_is_refused(client, personas):
    alice = profile_for(personas.rep)
    theirs = Skill.objects.create(company=personas.outsider_company, name="谈判")
    ours = Skill.objects.create(company=personas.company, name="陈列")
    client.force_login(personas.manager)
    url = reverse("staff:assessment_add", args=[alice.pk])
    for skill, level in ((theirs, 3), (ours, 6)):
        response = client.post(
            url, {"skill": skill.pk, "level": level, "assessed_on": "2026-01-01"}
        )
        assert response.status_code == 422
    assert not alice.assessments.exists()


def test_the_handover_link_shows_for_an_employee_who_owns_customers(client, personas):
    from dealercrm.staff.views import handover_url

    bob = profile_for(personas.other_rep)
    client.force_login(personas.manager)
    html = client.get(_detail(bob)).content.decode()
    expected = handover_url(bob)
    if expected:  # the ownership app's page, once it exists
        assert f'href="{expected}"' in html
    else:
        assert 'id="handover-link"' not in html


def test_a_manager_deletes_a_training_and_an_assessment_a_rep_may_not(client, personas):
    alice = profile_for(personas.rep)
    training = Training.objects.create(
        company=personas.company, employee=alice, date=dt.date(2026, 1, 1), topic="x", kind="course"
    )
    skill = Skill.objects.create(company=personas.company, name="谈判")
    assessment = services.assess(
        alice, skill=skill, level=2, assessed_on=dt.date(2026, 1, 1), actor=personas.boss
    )
    urls = [
        reverse("staff:training_delete", args=[training.pk]),
        reverse("staff:assessment_delete", args=[assessment.pk]),
    ]
    client.force_login(personas.rep)
    assert [client.post(url).status_code for url in urls] == [403, 403]
    client.force_login(personas.outsider)
    assert [client.post(url).status_code for url in urls] == [404, 404]
    assert Training.objects.exists() and alice.assessments.exists()
    client.force_login(personas.manager)
    assert [client.post(url).status_code for url in urls] == [302, 302]
    assert not Training.objects.exists() and not alice.assessments.exists()


def test_in_chinese_the_staff_pages_say_employees_and_a_customer_file_says_head_count(
    client, personas
):
    client.force_login(personas.boss)
    staff_page = client.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    customer_page = client.get(
        reverse("customers:detail", args=[personas.rep_customer.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert '<h1 class="h4 mb-0 me-auto">员工</h1>' in staff_page
    assert "员工人数" not in staff_page
    assert "员工人数" in customer_page


def test_the_staff_list_is_in_pinyin_order(client, personas):
    for name in ("王五", "陈六", "何七"):
        Employee.objects.create(company=personas.company, name=name, position="业务员")
    client.force_login(personas.boss)
    names = [row.employee.name for row in client.get(LIST).context["rows"]]
    assert names.index("陈六") < names.index("何七") < names.index("王五")
