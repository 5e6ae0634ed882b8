"""The scheduler enqueues each job once a day per company, at the company's local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError

from dealercrm.jobs import registry, scheduler
from dealercrm.jobs.choices import RunStatus
from dealercrm.jobs.models import JobRun
from dealercrm.jobs.tests import fakes

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone).astimezone(UTC)


def runs() -> list[tuple[str, str, date, str]]:
    return sorted(
        JobRun.objects.values_list("company__code", "job", "run_date", "status").order_by()
    )


def test_the_registry_holds_the_daily_jobs_of_the_interface():
    assert [(job.name, job.run, job.at) for job in registry.DAILY_JOBS] == [
        ("classify", "dealercrm.segmentation.services.scheduled_classify", time(2, 0)),
        ("retention", "dealercrm.retention.services.scheduled_refresh", time(2, 30)),
        ("pool", "dealercrm.ownership.services.scheduled_pool_return", time(3, 0)),
        ("complaints", "dealercrm.complaints.services.scheduled_escalate", time(6, 30)),
        ("agenda", "dealercrm.notifications.sending.scheduled_send", time(7, 0)),
    ]
    assert all(str(job.label) for job in registry.DAILY_JOBS)


def test_a_job_becomes_due_at_its_time_in_each_companys_own_time_zone(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(2, 0)))
    personas.outsider_company.time_zone = "Europe/Berlin"
    personas.outsider_company.save()

    # 01:59 in Shanghai on 10 March is 18:59 in Berlin on 9 March.
    clock.now = at(SHANGHAI, 2026, 3, 10, 1, 59)
    scheduler.enqueue_due_jobs()
    assert fakes.calls == [("BETA", date(2026, 3, 9))]

    clock.now = at(SHANGHAI, 2026, 3, 10, 2, 0)
    scheduler.enqueue_due_jobs()
    assert fakes.calls == [("BETA", date(2026, 3, 9)), ("ALPHA", date(2026, 3, 10))]
    assert runs() == [
        ("ALPHA", "count", date(2026, 3, 10), RunStatus.DONE),
        ("BETA", "count", date(2026, 3, 9), RunStatus.DONE),
    ]


def test_two_jobs_follow_their_own_times(personas, clock, daily_jobs):
    daily_jobs(("early", "count_customers", time(2, 0)), ("late", "count_customers", time(2, 30)))

    clock.now = at(SHANGHAI, 2026, 3, 10, 2, 29, 59)
    scheduler.enqueue_due_jobs()
    assert {(code, job) for code, job, _d, _s in runs()} == {("ALPHA", "early"), ("BETA", "early")}

    clock.now = at(SHANGHAI, 2026, 3, 10, 2, 30)
    scheduler.enqueue_due_jobs()
    assert len(runs()) == 4 and len(fakes.calls) == 4


def test_missed_days_are_not_back_filled(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(2, 0)))
    clock.now = at(SHANGHAI, 2026, 3, 10, 3, 0)
    scheduler.enqueue_due_jobs()

    # The worker was down for two days.
    clock.now = at(SHANGHAI, 2026, 3, 13, 3, 0)
    scheduler.enqueue_due_jobs()

    alpha = [run_date for code, _job, run_date, _s in runs() if code == "ALPHA"]
    assert alpha == [date(2026, 3, 10), date(2026, 3, 13)]


def test_calling_the_scheduler_twice_enqueues_a_day_once(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(2, 0)))
    clock.now = at(SHANGHAI, 2026, 3, 10, 2, 5)

    first = scheduler.enqueue_due_jobs()
    clock.now = at(SHANGHAI, 2026, 3, 10, 2, 6)
    second = scheduler.enqueue_due_jobs()

    assert len(first.enqueued) == 2 and second.enqueued == []
    assert sorted(fakes.calls) == [("ALPHA", date(2026, 3, 10)), ("BETA", date(2026, 3, 10))]
    assert JobRun.objects.count() == 2


def test_a_run_inserted_by_a_concurrent_worker_wins_and_is_not_enqueued_again(
    personas, clock, daily_jobs, monkeypatch
):
    daily_jobs(("count", "count_customers", time(2, 0)))
    clock.now = at(SHANGHAI, 2026, 3, 10, 2, 5)
    # Another worker inserts ALPHA's run after this one looked for existing runs.
    other = JobRun.objects.create(company=personas.company, job="count", run_date=date(2026, 3, 10))
    monkeypatch.setattr(scheduler, "_existing_runs", lambda due: set())

    report = scheduler.enqueue_due_jobs()

    assert [run.company.code for run in report.enqueued] == ["BETA"]
    assert fakes.calls == [("BETA", date(2026, 3, 10))]
    assert JobRun.objects.filter(company=personas.company).get() == other


def test_a_day_with_no_company_and_no_job_is_quiet(db, clock, daily_jobs):
    daily_jobs()
    report = scheduler.enqueue_due_jobs()
    assert report.enqueued == report.retried == report.recovered == []


def test_an_unknown_company_time_zone_falls_back_to_the_installations(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(2, 0)))
    personas.company.time_zone = "Mars/Olympus"
    personas.company.save()
    clock.now = at(SHANGHAI, 2026, 3, 10, 2, 0)

    scheduler.enqueue_due_jobs()

    assert ("ALPHA", date(2026, 3, 10)) in fakes.calls


@pytest.mark.parametrize("hour", [0, 23])
def test_the_local_date_is_the_companys_date_not_utcs(personas, clock, daily_jobs, hour):
    daily_jobs(("count", "count_customers", time(0, 0)))
    clock.now = at(SHANGHAI, 2026, 3, 10, hour, 30)
    scheduler.enqueue_due_jobs()
    assert ("ALPHA", date(2026, 3, 10)) in fakes.calls


def test_the_scheduler_thread_passes_once_per_interval_until_stopped(monkeypatch):
    passes = []
    thread = scheduler.SchedulerThread(interval=0.01)

    def tick(now=None):
        passes.append(now)
        if len(passes) == 3:
            thread.stop()

    monkeypatch.setattr(scheduler, "tick", tick)
    thread.start()
    thread.join(timeout=5)

    assert not thread.is_alive() and len(passes) == 3
    assert thread.daemon  # never keeps the worker process alive on its own


@pytest.mark.parametrize(
    ("error", "level"), [(RuntimeError("boom"), "ERROR"), (OperationalError("locked"), "WARNING")]
)
def test_a_failed_scheduler_pass_is_logged_and_the_loop_goes_on(monkeypatch, caplog, error, level):
    def fail(now=None):
        raise error

    monkeypatch.setattr(scheduler, "enqueue_due_jobs", fail)
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)  # no database here

    assert scheduler.tick() is None
    assert [record.levelname for record in caplog.records] == [level]
