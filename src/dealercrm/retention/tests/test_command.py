"""`dealercrm rfm --company CODE [--as-of YYYY-MM-DD]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from dealercrm.retention.models import CustomerScore
from dealercrm.retention.tests.history import AS_OF, buy, every


def run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("rfm", *args, stdout=out)
    return out.getvalue()


def test_the_command_refreshes_the_company_as_of_the_date_given(personas):
    buy(personas.rep_customer, every(10, 400, 190))

    output = run("--company", "ALPHA", "--as-of", AS_OF.isoformat())

    assert "RFM as of 2026-06-30: 2 customers, 1 scored; 1 dormant, 0 declining." in output
    score = CustomerScore.objects.get(customer=personas.rep_customer)
    assert score.as_of == AS_OF and score.dormant is True
    assert not CustomerScore.objects.for_company(personas.outsider_company).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--company", "NOPE"), "No company with code “NOPE”."),
        (("--company", "ALPHA", "--as-of", "2026-13-01"), "is not a date"),
    ],
)
def test_the_command_refuses_bad_input_and_changes_nothing(personas, args, message):
    with pytest.raises(CommandError, match=message), translation.override("en"):
        call_command("rfm", *args)

    assert not CustomerScore.objects.exists()
