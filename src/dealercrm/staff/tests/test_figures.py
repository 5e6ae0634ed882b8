"""The employee page's figures on constructed data, against values worked out by hand."""

import datetime as dt
from decimal import Decimal

from dealercrm.staff import services
from dealercrm.staff.models import Skill, SkillAssessment, Training
from dealercrm.staff.services import profile_for
from dealercrm.staff.tests.helpers import alices_book, local, sale
from dealercrm.visits.models import Visit

TODAY = dt.date(2026, 6, 15)


def test_customers_owned_by_class_count_only_the_employees_own(personas):
    alices_book(personas)
    figures = services.employee_figures(profile_for(personas.rep), TODAY)
    assert [(c.abc_class, c.count) for c in figures.by_class] == [("A", 1), ("B", 2), ("C", 1)]
    assert figures.unclassified == 1 and figures.customers == 5
    assert figures.by_class[0].url == "/customers/?owner=alice&abc_class=A"


def test_visits_done_by_month_in_the_companys_time_zone_against_expected(personas):
    customers = alices_book(personas)
    alice, customer = personas.rep, customers["A001"]

    def visit(when=None, status="done", rep=alice, planned_for=None):
        Visit.objects.create(
            company=personas.company,
            customer=customer,
            rep=rep,
            status=status,
            visited_at=when,
            planned_for=planned_for,
        )

    visit(local(2026, 6, 1, 0, 30))  # June in Shanghai, still May 31 in UTC
    visit(local(2026, 5, 31, 23, 30))
    visit(local(2026, 1, 10))
    visit(local(2025, 12, 31, 23, 59))  # before the six months
    visit(local(2026, 6, 3), rep=personas.other_rep)  # bob's
    visit(status="planned", planned_for=dt.date(2026, 6, 20))
    visit(status="cancelled", planned_for=dt.date(2026, 6, 21))

    figures = services.employee_figures(profile_for(alice), TODAY)

    assert [(m.month, m.done) for m in figures.visits] == [
        ("2026-01", 1),
        ("2026-02", 0),
        ("2026-03", 0),
        ("2026-04", 0),
        ("2026-05", 1),
        ("2026-06", 1),
    ]
    assert [m.planned for m in figures.visits] == [0, 0, 0, 0, 0, 1]
    # Default policy intervals A 7, B 14, C 30 days; the unclassified customer counts as C:
    # 1/7 + 2 × 1/14 + 1/30 + 1/30 = 37/105 visits a day; 30 days: 10.571… → 10.6.
    assert figures.expected_per_month == Decimal("10.6")
    # Each month by its days (31 × 37/105 = 10.92…, 28 × 37/105 = 9.86…); June up to the 15th:
    # 15 × 37/105 = 5.285… → 5.3.
    assert [m.expected for m in figures.visits] == [
        Decimal(v) for v in ("10.9", "9.9", "10.9", "10.6", "10.9", "5.3")
    ]


def test_sales_by_month_are_the_order_lines_of_the_customers_owned_now(personas):
    customers = alices_book(personas)
    sale(customers["A001"], dt.date(2026, 6, 15), "100.50")
    sale(customers["N1"], dt.date(2026, 6, 1), "20.25")
    sale(customers["N4"], dt.date(2025, 7, 1), "300")
    sale(customers["N2"], dt.date(2025, 6, 30), "999")  # 12 months ago: outside
    sale(customers["N3"], dt.date(2026, 6, 16), "7")  # after today
    sale(personas.other_rep_customer, dt.date(2026, 6, 10), "50")  # bob's

    figures = services.employee_figures(profile_for(personas.rep), TODAY)

    labels = [month for month, _amount in figures.sales]
    assert (labels[0], labels[-1], len(labels)) == ("2025-07", "2026-06", 12)
    months = dict(figures.sales)
    assert months["2026-06"] == Decimal("120.75")
    assert months["2025-07"] == Decimal("300.00")
    assert figures.sales_total == Decimal("420.75")
    assert figures.sales_chart({})["amounts"][-1] == "120.75"


def test_file_completeness_average_and_buckets(personas):
    alices_book(personas)
    figures = services.employee_figures(profile_for(personas.rep), TODAY)
    assert figures.completeness_average == 52
    assert [(b.label, b.count) for b in figures.completeness] == [
        ("0–19%", 1),
        ("20–39%", 1),
        ("40–59%", 1),
        ("60–79%", 0),
        ("80–100%", 2),
    ]


def test_an_employee_without_a_login_owns_nothing(personas):
    alices_book(personas)
    employee = profile_for(personas.rep)
    employee.user = None
    employee.save()
    figures = services.employee_figures(employee, TODAY)
    assert figures.customers == 0 and figures.completeness_average is None
    assert figures.sales_total == 0 and {m.done for m in figures.visits} == {0}


def test_skill_history_and_current_level(personas):
    alice = profile_for(personas.rep)
    talk = Skill.objects.create(company=personas.company, name="谈判", position=1)
    Skill.objects.create(company=personas.company, name="陈列", position=2)
    for day, level in ((dt.date(2026, 3, 1), 4), (dt.date(2025, 1, 1), 2)):
        services.assess(
            alice, skill=talk, level=level, assessed_on=day, note="", actor=personas.boss
        )

    figures = services.employee_figures(alice, TODAY)

    by_name = {level.skill.name: level for level in figures.skills}
    assert [a.level for a in by_name["谈判"].history] == [2, 4]
    assert by_name["谈判"].current.level == 4
    assert by_name["陈列"].current is None and by_name["陈列"].history == []
    assert figures.skills_chart() == {
        "series": [{"name": "谈判", "points": [["2025-01-01", 2], ["2026-03-01", 4]]}]
    }


def test_training_hours_this_year(personas):
    alice = profile_for(personas.rep)
    for day, hours in ((dt.date(2026, 2, 1), "6.5"), (dt.date(2025, 12, 1), "3")):
        Training.objects.create(
            company=personas.company,
            employee=alice,
            date=day,
            topic="陈列",
            kind="course",
            hours=Decimal(hours),
        )
    figures = services.employee_figures(alice, TODAY)
    assert figures.training_hours_year == Decimal("6.5")
    assert [t.date for t in figures.trainings] == [dt.date(2026, 2, 1), dt.date(2025, 12, 1)]


def test_assessments_of_other_employees_do_not_show(personas):
    talk = Skill.objects.create(company=personas.company, name="谈判")
    SkillAssessment.objects.create(
        company=personas.company,
        employee=profile_for(personas.other_rep),
        skill=talk,
        level=5,
        assessed_on=TODAY,
    )
    figures = services.employee_figures(profile_for(personas.rep), TODAY)
    assert figures.skills[0].history == []
