"""A run records its outcome; a failure is retried a few minutes later, at most three times."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.test import override_settings
from django_tasks import task_backends

from dealercrm.jobs import scheduler, services, tasks
from dealercrm.jobs.choices import RunStatus
from dealercrm.jobs.models import JobRun
from dealercrm.jobs.tests import fakes

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def alpha_run(personas) -> JobRun:
    return JobRun.objects.for_company(personas.company).get()


def test_a_done_run_keeps_the_jobs_summary_and_times(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(0, 0)))
    scheduler.enqueue_due_jobs()

    run = alpha_run(personas)
    assert run.status == RunStatus.DONE
    assert run.attempts == 1
    assert run.summary == "counted the customers of ALPHA as of 2026-03-09"
    assert run.error == ""
    assert run.started_at == run.finished_at == clock.now


def test_a_failing_job_is_tried_three_times_a_few_minutes_apart_then_stays_failed(
    personas, clock, daily_jobs
):
    # The test backend runs tasks at once and cannot defer them: the scheduler enqueues retries.
    daily_jobs(("broken", "broken", time(0, 0)))
    start = clock.now
    scheduler.enqueue_due_jobs()

    run = alpha_run(personas)
    assert (run.status, run.attempts) == (RunStatus.QUEUED, 1)
    assert run.error == "see the migration log"  # the traceback's last line
    assert run.next_attempt_at == start + services.RETRY_DELAY

    clock.now = start + services.RETRY_DELAY - timedelta(seconds=1)
    scheduler.enqueue_due_jobs()
    assert alpha_run(personas).attempts == 1

    clock.now = start + services.RETRY_DELAY
    scheduler.enqueue_due_jobs()
    run = alpha_run(personas)
    assert (run.status, run.attempts) == (RunStatus.QUEUED, 2)
    assert run.next_attempt_at == clock.now + services.RETRY_DELAY

    clock.now = run.next_attempt_at
    scheduler.enqueue_due_jobs()
    run = alpha_run(personas)
    assert (run.status, run.attempts) == (RunStatus.FAILED, 3)
    assert run.next_attempt_at is None
    assert run.error == "see the migration log"

    clock.now += timedelta(hours=1)
    scheduler.enqueue_due_jobs()
    assert alpha_run(personas).status == RunStatus.FAILED
    assert fakes.calls.count(("ALPHA", date(2026, 3, 9))) == 3


def test_a_job_that_fails_once_is_done_on_its_second_attempt(personas, clock, daily_jobs):
    daily_jobs(("flaky", "flaky", time(0, 0)))
    fakes.failures_before_success["ALPHA"] = 1
    scheduler.enqueue_due_jobs()
    assert alpha_run(personas).error == "ConnectionError: database went away"

    clock.now += services.RETRY_DELAY
    scheduler.enqueue_due_jobs()

    run = alpha_run(personas)
    assert (run.status, run.attempts) == (RunStatus.DONE, 2)
    assert run.summary == "worked on call 2"
    assert run.error == ""


def test_a_backend_that_can_defer_gets_the_retry_with_run_after(personas, clock, daily_jobs):
    daily_jobs(("broken", "broken", time(0, 0)))
    with override_settings(TASKS=DUMMY_TASKS):
        backend = task_backends["default"]
        scheduler.enqueue_due_jobs()

        def alpha_tasks():
            return [result for result in backend.results if result.args[0] == personas.company.pk]

        assert len(alpha_tasks()) == 1  # enqueued, not run yet
        assert alpha_run(personas).status == RunStatus.QUEUED

        # The worker runs the task: the job fails, and the next attempt is enqueued, deferred.
        tasks.run_daily_job.call(personas.company.pk, "broken", "2026-03-09")
        run = alpha_run(personas)
        assert (run.status, run.attempts, run.retry_enqueued) == (RunStatus.QUEUED, 1, True)
        assert len(alpha_tasks()) == 2
        retry = alpha_tasks()[1]
        assert retry.task.run_after == clock.now + services.RETRY_DELAY
        assert retry.args == [personas.company.pk, "broken", "2026-03-09"]

        # The scheduler leaves it to the backend.
        clock.now += services.RETRY_DELAY
        assert scheduler.enqueue_due_jobs().retried == []
        assert len(alpha_tasks()) == 2


def test_a_task_delivered_twice_runs_the_job_once(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(0, 0)))
    scheduler.enqueue_due_jobs()

    assert tasks.run_daily_job.call(personas.company.pk, "count", "2026-03-09") is None

    assert fakes.calls.count(("ALPHA", date(2026, 3, 9))) == 1
    assert alpha_run(personas).attempts == 1


def test_a_run_whose_worker_died_counts_as_a_failed_attempt_and_is_retried(
    personas, clock, daily_jobs
):
    daily_jobs(("count", "count_customers", time(0, 0)))
    JobRun.objects.create(
        company=personas.company,
        job="count",
        run_date=date(2026, 3, 9),
        status=RunStatus.RUNNING,
        attempts=1,
        started_at=clock.now - services.STALE_AFTER - timedelta(minutes=1),
    )

    report = scheduler.enqueue_due_jobs()
    assert len(report.recovered) == 1
    run = alpha_run(personas)
    assert (run.status, run.attempts) == (RunStatus.QUEUED, 1)
    assert run.error

    clock.now += services.RETRY_DELAY
    scheduler.enqueue_due_jobs()
    run = alpha_run(personas)
    assert (run.status, run.attempts) == (RunStatus.DONE, 2)


def test_a_job_whose_callable_does_not_exist_fails_with_the_import_error(
    personas, clock, daily_jobs
):
    daily_jobs(("ghost", "no_such_function", time(0, 0)))
    scheduler.enqueue_due_jobs()

    run = alpha_run(personas)
    assert run.status == RunStatus.QUEUED
    assert "no_such_function" in run.error
