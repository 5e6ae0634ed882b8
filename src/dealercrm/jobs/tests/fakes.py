"""Fake daily-job callables for the tests (the real ones belong to other apps)."""

from __future__ import annotations

from datetime import date

# (company code, run_date) of every call, and how many calls of `flaky` fail before it works.
calls: list[tuple[str, date]] = []
failures_before_success: dict[str, int] = {}


def count_customers(company, run_date: date) -> str:
    calls.append((company.code, run_date))
    return f"counted the customers of {company.code} as of {run_date.isoformat()}"


def broken(company, run_date: date) -> str:
    calls.append((company.code, run_date))
    raise RuntimeError(f"the sales table of {company.code} is missing\nsee the migration log")


def flaky(company, run_date: date) -> str:
    calls.append((company.code, run_date))
    if failures_before_success.get(company.code, 0) > 0:
        failures_before_success[company.code] -= 1
        raise ConnectionError("database went away")
    return f"worked on call {calls.count((company.code, run_date))}"
