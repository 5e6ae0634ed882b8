"""The daily jobs: what runs once a day per company, and at what local time it becomes due.

Each `run` is the dotted path of a callable `(company, run_date: datetime.date) -> str` that
computes for one company as of run_date, is idempotent, returns a one-line human summary
(translated) and raises on failure. The jobs app records each run, retries a failure and shows
the outcome (see jobs/services.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DailyJob:
    name: str  # stable id, e.g. "classify", "retention"
    label: Promise  # gettext_lazy, shown on the jobs page
    run: str  # dotted path of a callable (company, run_date: datetime.date) -> str
    at: time  # local time of day (company time zone) when it becomes due


DAILY_JOBS: list[DailyJob] = [
    DailyJob(
        "classify",
        _("Customer classes (ABC)"),
        "dealercrm.segmentation.services.scheduled_classify",
        time(2, 0),
    ),
    DailyJob(
        "retention",
        _("RFM scores and warnings"),
        "dealercrm.retention.services.scheduled_refresh",
        time(2, 30),
    ),
    DailyJob(
        "pool",
        _("Unattended customers back to the pool"),
        "dealercrm.ownership.services.scheduled_pool_return",
        time(3, 0),
    ),
    DailyJob(
        "complaints",
        _("Overdue complaints escalated"),
        "dealercrm.complaints.services.scheduled_escalate",
        time(6, 30),
    ),
    DailyJob(
        "agenda",
        _("Daily agenda and notifications"),
        "dealercrm.notifications.sending.scheduled_send",
        time(7, 0),
    ),
]


def get_job(name: str) -> DailyJob | None:
    """The registered job of that name (read at call time, so tests may replace DAILY_JOBS)."""
    return next((job for job in DAILY_JOBS if job.name == name), None)
