"""The satisfaction report against figures worked out by hand on constructed answers.

Answers in the period 2026-01-01 … 2026-03-31 (Shanghai days):
  customer  rep    class region  day           score
  c1        alice  A     东区    01-05         10
  c1        alice  A     东区    01-20          9  "很好"
  c2        bob    B     西区    01-31 23:30    6
  c2        bob    B     西区    02-01 00:30    7  "一般"  (still 31 January in UTC)
  c3        alice  C     —       02-14          0  "态度差"
  c1        alice  A     东区    03-03          8
  c3        alice  C     —       03-15          9
and one on 2025-12-31 (outside). Promoters 9–10, detractors 0–6.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from dealercrm.customers.models import Customer
from dealercrm.regions.models import SalesRegion
from dealercrm.satisfaction import services
from dealercrm.satisfaction.models import Survey
from dealercrm.testing import make_customer

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
D = Decimal


@pytest.fixture
def answers(personas):
    east = SalesRegion.objects.create(company=personas.company, name="东区")
    west = SalesRegion.objects.create(company=personas.company, name="西区")
    c1 = make_customer(personas.company, rep=personas.rep, code="R1", name="一号店")
    c2 = make_customer(personas.company, rep=personas.other_rep, code="R2", name="二号店")
    c3 = make_customer(personas.company, rep=personas.rep, code="R3", name="三号店")
    Customer.objects.filter(pk=c1.pk).update(abc_class="A", sales_region=east)
    Customer.objects.filter(pk=c2.pk).update(abc_class="B", sales_region=west)
    Customer.objects.filter(pk=c3.pk).update(abc_class="C")
    rows = [
        (c1, (2025, 12, 31, 10, 0), 0, "去年的"),
        (c1, (2026, 1, 5, 10, 0), 10, ""),
        (c1, (2026, 1, 20, 10, 0), 9, "很好"),
        (c2, (2026, 1, 31, 23, 30), 6, ""),
        (c2, (2026, 2, 1, 0, 30), 7, "一般"),
        (c3, (2026, 2, 14, 9, 0), 0, "态度差"),
        (c1, (2026, 3, 3, 9, 0), 8, ""),
        (c3, (2026, 3, 15, 9, 0), 9, ""),
    ]
    for customer, moment, score, comment in rows:
        customer.refresh_from_db()
        survey = services.record_survey(
            customer, score=score, comment=comment, source="visit", actor=personas.boss
        )
        Survey.objects.filter(pk=survey.pk).update(answered_at=datetime(*moment, tzinfo=SHANGHAI))
    # Later the customers move: the report keeps who owned them when they answered.
    Customer.objects.filter(pk=c1.pk).update(
        rep=personas.other_rep, abc_class="C", sales_region=None
    )
    return personas


def _figures(rows):
    return {row.label: (row.nps, row.average, row.count) for row in rows}


def test_overall_nps_and_average(answers):
    report = services.satisfaction_report(
        answers.company, datetime(2026, 1, 1).date(), datetime(2026, 3, 31).date()
    )
    # 3 promoters, 2 detractors of 7: 100 × 1 / 7 = 14.28…; scores 49 / 7.
    assert (report.overall.nps, report.overall.average, report.overall.count) == (
        D("14.3"),
        D("7.0"),
        7,
    )


def test_by_class_region_rep_and_month(answers):
    report = services.satisfaction_report(
        answers.company, datetime(2026, 1, 1).date(), datetime(2026, 3, 31).date()
    )

    assert _figures(report.by_class) == {
        "A": (D("66.7"), D("9.0"), 3),  # 10, 9, 8
        "B": (D("-50.0"), D("6.5"), 2),  # 6, 7
        "C": (D("0.0"), D("4.5"), 2),  # 0, 9
    }
    assert _figures(report.by_region) == {
        "东区": (D("66.7"), D("9.0"), 3),
        "西区": (D("-50.0"), D("6.5"), 2),
        "no region": (D("0.0"), D("4.5"), 2),
    }
    assert _figures(report.by_rep) == {
        "张爱丽": (D("40.0"), D("7.2"), 5),  # 10, 9, 0, 8, 9
        "刘波": (D("-50.0"), D("6.5"), 2),
    }
    assert [(row.label, row.nps, row.average, row.count) for row in report.by_month] == [
        ("2026-01", D("33.3"), D("8.3"), 3),  # 10, 9, 6
        ("2026-02", D("-50.0"), D("3.5"), 2),  # 7, 0
        ("2026-03", D("50.0"), D("8.5"), 2),  # 8, 9
    ]


def test_comments_come_lowest_score_first(answers):
    report = services.satisfaction_report(
        answers.company, datetime(2026, 1, 1).date(), datetime(2026, 3, 31).date()
    )
    assert [survey.comment for survey in report.comments] == ["态度差", "一般", "很好"]


def test_a_month_without_answers_shows_no_figure(answers):
    report = services.satisfaction_report(
        answers.company, datetime(2026, 3, 1).date(), datetime(2026, 4, 30).date()
    )
    assert [(row.label, row.nps, row.count) for row in report.by_month] == [
        ("2026-03", D("50.0"), 2),
        ("2026-04", None, 0),
    ]


def test_the_page_shows_the_figures_for_the_chosen_period(answers):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(answers.manager)

    page = client.get("/satisfaction/", {"date_from": "2026-01-01", "date_to": "2026-03-31"})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="overall-nps">14.3<' in html
    assert 'id="overall-average">7.0<' in html
    assert 'id="satisfaction-data"' in html and "echarts.min.js" in html
    assert "去年的" not in html
    assert html.index("态度差") < html.index("一般") < html.index("很好")


def test_the_report_counts_only_the_companys_own_answers(answers):
    services.record_survey(
        answers.outsider_customer, score=0, comment="外公司", source="visit", actor=answers.outsider
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(answers.boss)
    html = client.get("/satisfaction/").content.decode()
    assert "外公司" not in html


def test_a_period_that_ends_before_it_starts_gets_an_error(answers):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(answers.boss)
    page = client.get("/satisfaction/", {"date_from": "2026-03-01", "date_to": "2026-01-01"})
    assert "The period starts after it ends." in page.content.decode()


def test_reps_and_clerks_do_not_see_the_report(answers):
    for user in (answers.rep, answers.clerk):
        client = Client()
        client.force_login(user)
        assert client.get("/satisfaction/").status_code == 403
