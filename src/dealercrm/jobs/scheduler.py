"""The scheduler: finds the daily jobs that are due and enqueues them, once a minute.

It runs inside every `dealercrm worker` process (a daemon thread) and once before the queue in
`dealercrm worker --batch`; there is no cron and no extra service. Several workers may run it
at the same moment: the unique (company, job, run_date) key of JobRun decides which of them
enqueues a day's run, the others skip it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from django.db import (
    IntegrityError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils.translation import gettext as _

from dealercrm.companies.models import Company
from dealercrm.jobs import registry, services
from dealercrm.jobs.choices import RunStatus
from dealercrm.jobs.models import JobRun

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 60.0


@dataclass
class ScheduleReport:
    """What one pass of the scheduler did."""

    enqueued: list[JobRun] = field(default_factory=list)
    retried: list[JobRun] = field(default_factory=list)
    recovered: list[JobRun] = field(default_factory=list)


def enqueue_due_jobs(now: datetime | None = None) -> ScheduleReport:
    """Enqueue today's run of every job whose local time has passed, per company.

    Only the company-local today counts: a day the worker was down is not back-filled. Also
    enqueues retries whose time has come (when the backend cannot defer them itself) and fails
    the attempt of a run whose worker disappeared (running for longer than STALE_AFTER).
    """
    now = now or services.clock()
    report = ScheduleReport()
    report.recovered = _recover_stale_runs(now)
    report.retried = _enqueue_retries(now)
    due = [
        (company, job, services.local_today(company, now))
        for company in Company.objects.order_by("pk")
        for job in registry.DAILY_JOBS
        if services.is_due(job, company, now)
    ]
    existing = _existing_runs(due)
    missing = [entry for entry in due if (entry[0].pk, entry[1].name, entry[2]) not in existing]
    # One commit for the pass (a savepoint per run): inserting in the same order everywhere,
    # a concurrent worker waits on the first shared row, then finds every one taken.
    with transaction.atomic():
        for company, job, run_date in missing:
            try:
                with transaction.atomic():
                    run = JobRun.objects.create(company=company, job=job.name, run_date=run_date)
                    services.enqueue(run)
            except IntegrityError:
                # Another worker inserted the same day's run first; it enqueued the task.
                continue
            report.enqueued.append(run)
    return report


def _existing_runs(due: list) -> set[tuple[int, str, object]]:
    """(company id, job, run_date) of the due runs that already exist."""
    if not due:
        return set()
    dates = {run_date for _company, _job, run_date in due}
    names = {job.name for _company, job, _date in due}
    return set(
        JobRun.objects.filter(run_date__in=dates, job__in=names).values_list(
            "company_id", "job", "run_date"
        )
    )


def _enqueue_retries(now: datetime) -> list[JobRun]:
    waiting = JobRun.objects.filter(
        status=RunStatus.QUEUED, retry_enqueued=False, next_attempt_at__lte=now
    )
    retried = []
    for run in waiting:
        with transaction.atomic():
            taken = (
                JobRun.objects.filter(
                    pk=run.pk, status=RunStatus.QUEUED, retry_enqueued=False
                ).update(retry_enqueued=True)
                == 1
            )
            if taken:
                services.enqueue(run)
        if taken:
            retried.append(run)
    return retried


def _recover_stale_runs(now: datetime) -> list[JobRun]:
    stale = list(
        JobRun.objects.filter(
            status=RunStatus.RUNNING, started_at__lt=now - services.STALE_AFTER
        ).select_related("company")
    )
    for run in stale:
        services.record_failure(run, _("The worker stopped during the run."), retry=True)
    return stale


def tick(now: datetime | None = None) -> ScheduleReport | None:
    """One pass for a long-running loop: errors are logged, never raised."""
    try:
        close_old_connections()
        return enqueue_due_jobs(now)
    except OperationalError as error:
        # SQLite: a long task holds the write lock; the next pass will find the same jobs due.
        logger.warning("The scheduler pass could not write (%s); trying again in a minute", error)
        return None
    except Exception:
        logger.exception("The scheduler pass failed; trying again in a minute")
        return None
    finally:
        connection.close()


class SchedulerThread(threading.Thread):
    """A daemon thread calling `tick` every `interval` seconds until stopped or the process ends."""

    def __init__(self, interval: float = INTERVAL_SECONDS) -> None:
        super().__init__(name="dealercrm-scheduler", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            tick()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
