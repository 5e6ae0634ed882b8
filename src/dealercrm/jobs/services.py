"""Daily jobs: running one day's job for one company, recording the outcome, retrying failures.

A run moves queued → running → done, or on failure back to queued with `next_attempt_at`
(RETRY_DELAY later) until MAX_ATTEMPTS, then stays failed. The retry is enqueued at once with
django-tasks' `run_after` when the backend can defer tasks (the database backend can); else the
scheduler (jobs/scheduler.py) enqueues it once its time has come. The job's callable runs
outside any transaction of ours; its outcome is written with conditional updates, so a task
that arrives twice runs the job once.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dealercrm.companies.models import Company
from dealercrm.companies.services import company_zone, local_day
from dealercrm.jobs import registry
from dealercrm.jobs.choices import RunStatus
from dealercrm.jobs.models import JobRun
from dealercrm.jobs.registry import DailyJob, get_job

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(minutes=5)
# A run still "running" this long after it started lost its worker (killed, machine restarted).
STALE_AFTER = timedelta(hours=2)
RECENT_DAYS = 14
TEXT_LIMIT = 2000


def clock() -> datetime:
    """The current time; the one place the jobs app reads it (tests replace it)."""
    return timezone.now()


def local_today(company: Company, now: datetime | None = None) -> date:
    return local_day(company, now or clock())


def is_due(job: DailyJob, company: Company, now: datetime) -> bool:
    """Has the job's time of day passed today, in the company's time zone?"""
    return now.astimezone(company_zone(company)).time() >= job.at


def last_line(error: BaseException) -> str:
    """The last line of the error's traceback ("ValueError: …"), as the jobs page shows it."""
    lines = "".join(traceback.format_exception_only(error)).strip().splitlines()
    return (lines[-1] if lines else type(error).__name__)[:TEXT_LIMIT]


# ---------------------------------------------------------------------------- enqueueing


def enqueue(run: JobRun, *, run_after: datetime | None = None) -> None:
    """Put the run's task on the queue (in the caller's transaction on the database backend)."""
    from dealercrm.jobs.tasks import run_daily_job

    task = run_daily_job if run_after is None else run_daily_job.using(run_after=run_after)
    task.enqueue(run.company_id, run.job, run.run_date.isoformat())


def can_defer() -> bool:
    """Does the task backend run a task at a later time by itself (run_after)?"""
    from dealercrm.jobs.tasks import run_daily_job

    return run_daily_job.get_backend().supports_defer


def get_or_create_run(company: Company, name: str, run_date: date) -> tuple[JobRun, bool]:
    """The day's run of a job, created queued if missing; safe against a concurrent insert."""
    try:
        with transaction.atomic():
            return JobRun.objects.for_company(company).get_or_create(
                company=company, job=name, run_date=run_date
            )
    except IntegrityError:  # created by someone else between our look and our insert
        return JobRun.objects.for_company(company).get(job=name, run_date=run_date), False


def _job_or_error(name: str) -> DailyJob:
    job = get_job(name)
    if job is None:
        raise ValidationError(
            _("There is no daily job “%(name)s”; the jobs are: %(names)s.")
            % {"name": name, "names": ", ".join(job.name for job in registry.DAILY_JOBS)}
        )
    return job


def request_run(company: Company, name: str, *, user=None) -> JobRun:
    """Queue today's run of a job again (the "run now" button); refused while one is waiting.

    A finished run of today, done or failed, starts over with fresh attempts.
    """
    _job_or_error(name)
    run_date = local_today(company)
    with transaction.atomic():
        run, created = get_or_create_run(company, name, run_date)
        restarted = (
            JobRun.objects.for_company(company)
            .filter(pk=run.pk, status__in=[RunStatus.DONE, RunStatus.FAILED])
            .update(**_fresh_fields(RunStatus.QUEUED), requested_by=user)
        )
        if not created and not restarted:
            raise ValidationError(
                _("%(job)s is already queued or running for %(date)s.")
                % {"job": get_job(name).label, "date": run_date.isoformat()}
            )
        if created:
            JobRun.objects.for_company(company).filter(pk=run.pk).update(requested_by=user)
        enqueue(run)
    run.refresh_from_db()
    return run


def _fresh_fields(status: str) -> dict:
    return {
        "status": status,
        "attempts": 0,
        "next_attempt_at": None,
        "retry_enqueued": False,
        "started_at": None,
        "finished_at": None,
        "summary": "",
        "error": "",
    }


# ---------------------------------------------------------------------------- running


def execute_run(company_id: int, name: str, run_date: date) -> JobRun | None:
    """The task's body: claim the queued run, run the job, record the outcome.

    Returns None when the run is not waiting (already taken by another worker, or done), so a
    task delivered twice does nothing the second time.
    """
    runs = JobRun.objects.filter(company_id=company_id, job=name, run_date=run_date)
    claimed = runs.filter(status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=clock(),
        finished_at=None,
        next_attempt_at=None,
        retry_enqueued=False,
    )
    if not claimed:
        return None
    run = runs.select_related("company").get()
    return _run(run, retry=True)


def run_now(company: Company, name: str, run_date: date, *, user=None) -> JobRun:
    """Run a job in this process for one day (the `jobs run` command): one attempt, no retry.

    Raises ValidationError for an unknown job or a run of that day already running.
    """
    _job_or_error(name)
    run, _created = get_or_create_run(company, name, run_date)
    fields = _fresh_fields(RunStatus.RUNNING) | {"attempts": 1, "started_at": clock()}
    claimed = (
        JobRun.objects.for_company(company)
        .filter(pk=run.pk)
        .exclude(status=RunStatus.RUNNING)
        .update(**fields, requested_by=user)
    )
    if not claimed:
        raise ValidationError(
            _("%(job)s is running for %(date)s right now.")
            % {"job": get_job(name).label, "date": run_date.isoformat()}
        )
    run.refresh_from_db()
    return _run(run, retry=False)


def _run(run: JobRun, *, retry: bool) -> JobRun:
    job = get_job(run.job)
    try:
        if job is None:
            raise LookupError(_("No daily job “%(name)s” is registered.") % {"name": run.job})
        function = import_string(job.run)
        summary = function(run.company, run.run_date)
    except Exception as error:
        logger.exception(
            "Daily job %s failed for company %s on %s (attempt %s)",
            run.job,
            run.company.code,
            run.run_date,
            run.attempts,
        )
        record_failure(run, last_line(error), retry=retry)
    else:
        JobRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.DONE,
            finished_at=clock(),
            summary=str(summary or "")[:TEXT_LIMIT],
            error="",
        )
    run.refresh_from_db()
    return run


def record_failure(run: JobRun, error: str, *, retry: bool) -> None:
    """Record a failed attempt of a running run: queue the next attempt, or end as failed."""
    now = clock()
    running = JobRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING)
    attempts = running.values_list("attempts", flat=True).first()
    if attempts is None:  # no longer running: someone else recorded it
        return
    if not retry or attempts >= MAX_ATTEMPTS:
        running.update(status=RunStatus.FAILED, finished_at=now, error=error)
        return
    next_attempt_at = now + RETRY_DELAY
    deferred = can_defer()
    with transaction.atomic():
        updated = running.update(
            status=RunStatus.QUEUED,
            finished_at=now,
            error=error,
            next_attempt_at=next_attempt_at,
            retry_enqueued=deferred,
        )
        if updated and deferred:
            enqueue(run, run_after=next_attempt_at)


# ---------------------------------------------------------------------------- reading


@dataclass
class JobHistory:
    job: DailyJob
    runs: list[JobRun]

    @property
    def latest(self) -> JobRun | None:
        return self.runs[0] if self.runs else None


def recent_runs(runs, *, days: int = RECENT_DAYS, today: date) -> list[JobHistory]:
    """Each registered job with its runs of the last `days` days, newest first.

    `runs` is a JobRun queryset already scoped (visible_to / for_company).
    """
    rows = list(
        runs.filter(run_date__gt=today - timedelta(days=days)).select_related("requested_by")
    )
    return [
        JobHistory(job, [row for row in rows if row.job == job.name]) for job in registry.DAILY_JOBS
    ]


def failing_jobs(runs) -> list[JobRun]:
    """The latest run of each job, where it failed for good (the boss's alert)."""
    # One query (it runs on every page the boss opens): failed runs that are their job's latest.
    latest = runs.filter(job=OuterRef("job")).order_by("-run_date", "-id").values("pk")[:1]
    names = [job.name for job in registry.DAILY_JOBS]
    failed = runs.filter(job__in=names, status=RunStatus.FAILED, pk=Subquery(latest))
    return sorted(failed, key=lambda run: names.index(run.job))
