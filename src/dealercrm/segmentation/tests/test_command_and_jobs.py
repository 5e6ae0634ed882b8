from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from dealercrm.customers.models import Customer
from dealercrm.segmentation import services
from dealercrm.segmentation.models import ServicePolicy
from dealercrm.segmentation.tests.helpers import Line, add_lines


def run_command(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("classify", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_customers_per_class(personas):
    add_lines(
        personas.company,
        [
            Line(personas.rep_customer.pk, date(2026, 3, 1), Decimal(1), Decimal("80"), None),
            Line(personas.other_rep_customer.pk, date(2026, 3, 1), Decimal(1), Decimal("20"), None),
        ],
    )
    output = run_command("--company", "ALPHA", "--as-of", "2026-03-31")
    assert "as of 2026-03-31 (2 customers)" in output
    assert "A: 1  (80.0%)" in output and "B: 1  (20.0%)" in output and "C: 0" in output
    assert Customer.objects.get(pk=personas.other_rep_customer.pk).abc_class == "B"


def test_the_command_refuses_an_unknown_company_or_a_bad_date(personas):
    with pytest.raises(CommandError, match="NOPE"):
        run_command("--company", "NOPE")
    with pytest.raises(CommandError, match="2026-13-01"):
        run_command("--company", "ALPHA", "--as-of", "2026-13-01")


def test_the_daily_job_is_idempotent_and_summarises(personas):
    add_lines(
        personas.company,
        [Line(personas.rep_customer.pk, date(2026, 3, 1), Decimal(1), Decimal("5"), None)],
    )
    with translation.override("en"):
        first = services.scheduled_classify(personas.company, date(2026, 3, 2))
        second = services.scheduled_classify(personas.company, date(2026, 3, 2))
    assert first == "Classes as of 2026-03-02: A 1, B 0, C 1; 2 customers changed class."
    assert second.endswith("0 customers changed class.")


def test_service_policies_are_created_with_the_defaults_on_first_read(personas):
    assert not ServicePolicy.objects.exists()
    policy = services.service_policy(personas.company, "A")
    assert policy.visit_interval_days == 7
    assert [services.service_policy(personas.company, c).visit_interval_days for c in "BC"] == [
        14,
        30,
    ]
    assert services.service_policy(personas.company, "").abc_class == "C"
    assert ServicePolicy.objects.filter(company=personas.company).count() == 3


def test_the_daily_job_registry_points_at_scheduled_classify():
    from django.utils.module_loading import import_string

    from dealercrm.jobs.registry import get_job

    assert import_string(get_job("classify").run) is services.scheduled_classify
