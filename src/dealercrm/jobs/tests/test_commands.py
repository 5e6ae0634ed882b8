"""`dealercrm jobs run|list`, and the worker that runs the scheduler before its queue."""

from __future__ import annotations

from datetime import date, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from dealercrm.jobs.choices import RunStatus
from dealercrm.jobs.models import JobRun
from dealercrm.jobs.tests import fakes

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_jobs_run_runs_one_job_now_for_one_company_and_day(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(23, 0)))

    out = run("jobs", "run", "count", "--company", "ALPHA", "--date", "2026-02-28")

    assert "counted the customers of ALPHA as of 2026-02-28" in out
    assert fakes.calls == [("ALPHA", date(2026, 2, 28))]
    run_row = JobRun.objects.get()
    assert (run_row.company, run_row.status, run_row.attempts) == (
        personas.company,
        RunStatus.DONE,
        1,
    )


def test_jobs_run_defaults_to_the_companys_today_and_may_run_a_day_again(
    personas, clock, daily_jobs
):
    daily_jobs(("count", "count_customers", time(23, 0)))
    run("jobs", "run", "count", "--company", "ALPHA")
    run("jobs", "run", "count", "--company", "ALPHA")

    assert fakes.calls == [("ALPHA", date(2026, 3, 9))] * 2
    assert JobRun.objects.get().status == RunStatus.DONE


def test_jobs_run_of_a_failing_job_exits_non_zero_with_the_error(personas, clock, daily_jobs):
    daily_jobs(("broken", "broken", time(23, 0)))

    with pytest.raises(CommandError, match="see the migration log"):
        run("jobs", "run", "broken", "--company", "ALPHA")

    assert JobRun.objects.get().status == RunStatus.FAILED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--company", "ALPHA"], "no daily job “nope”"),
        (["count", "--company", "NOPE"], "No company with code “NOPE”"),
        (["count", "--company", "ALPHA", "--date", "2026-02-30"], "is not a date"),
    ],
)
def test_jobs_run_explains_bad_arguments_and_runs_nothing(
    personas, clock, daily_jobs, args, message
):
    daily_jobs(("count", "count_customers", time(0, 0)))
    with pytest.raises(CommandError, match=message):
        run("jobs", "run", *args)
    assert fakes.calls == [] and not JobRun.objects.exists()


def test_jobs_list_shows_the_recent_runs(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(23, 0)), ("broken", "broken", time(23, 0)))
    run("jobs", "run", "count", "--company", "ALPHA")
    with pytest.raises(CommandError):
        run("jobs", "run", "broken", "--company", "BETA")

    everything = run("jobs", "list")
    alpha_only = run("jobs", "list", "--company", "ALPHA")

    assert "counted the customers of ALPHA" in everything and "see the migration log" in everything
    assert "ALPHA\tcount\t2026-03-09\tdone\t1\t" in alpha_only
    assert "BETA" not in alpha_only


# The worker closes its database connection between tasks, which ends a test transaction; so
# this test commits and restores the reference data after, like core's worker test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_batch_enqueues_the_due_jobs_then_runs_them(clock, daily_jobs):
    from dealercrm.testing import CompanyFactory

    daily_jobs(("count", "count_customers", time(0, 0)))
    CompanyFactory(code="GAMMA")
    with override_settings(TASKS=DATABASE_TASKS):
        run("worker", "--batch", "--interval", "0")
        run("worker", "--batch", "--interval", "0")

    assert fakes.calls == [("GAMMA", date(2026, 3, 9))]
    assert JobRun.objects.get().status == RunStatus.DONE
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.parametrize(("flags", "started"), [([], True), (["--no-scheduler"], False)])
def test_the_worker_starts_the_scheduler_thread_before_its_queue(monkeypatch, flags, started):
    from dealercrm.core.management.commands import worker
    from dealercrm.jobs import scheduler

    events = []

    class FakeThread:
        def start(self):
            events.append("scheduler")

    monkeypatch.setattr(scheduler, "SchedulerThread", FakeThread)
    monkeypatch.setattr(worker, "call_command", lambda name, *a, **k: events.append(name))
    with override_settings(TASKS=DATABASE_TASKS):
        run("worker", *flags)

    assert events == (["scheduler", "db_worker"] if started else ["db_worker"])
