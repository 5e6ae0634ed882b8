from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django.utils.translation import gettext_lazy as _

from dealercrm.jobs import registry, services
from dealercrm.jobs.registry import DailyJob
from dealercrm.jobs.tests import fakes

FAKE = "dealercrm.jobs.tests.fakes."


class Clock:
    """The jobs app's clock, set by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(services, "clock", clock)
    return clock


@pytest.fixture
def daily_jobs(monkeypatch):
    """Replace the registered jobs by fakes; returns a function that sets them."""
    fakes.calls.clear()
    fakes.failures_before_success.clear()

    def use(*jobs: tuple[str, str, time]) -> list[DailyJob]:
        registered = [DailyJob(name, _(name), FAKE + function, at) for name, function, at in jobs]
        monkeypatch.setattr(registry, "DAILY_JOBS", registered)
        return registered

    yield use
    fakes.calls.clear()
