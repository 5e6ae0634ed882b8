"""The jobs page: the boss and the manager see their company's runs; the boss starts one."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.test import Client

from dealercrm.jobs import scheduler, services
from dealercrm.jobs.choices import RunStatus
from dealercrm.jobs.models import JobRun
from dealercrm.jobs.tests import fakes


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def fail_three_times(clock) -> None:
    scheduler.enqueue_due_jobs()
    for _attempt in range(2):
        clock.now += services.RETRY_DELAY
        scheduler.enqueue_due_jobs()


def test_the_boss_sees_a_job_that_failed_for_good_on_the_page_and_in_the_menu(
    personas, clock, daily_jobs
):
    daily_jobs(("broken", "broken", time(0, 0)))
    fail_three_times(clock)
    boss = client_for(personas.boss)

    page = boss.get("/jobs/").content.decode()
    assert 'id="job-broken-alert"' in page
    assert "the sales table of ALPHA is missing" not in page  # only the last line is kept
    assert "see the migration log" in page
    assert "attempt 3 of 3" in page

    home = boss.get("/", follow=True).content.decode()
    assert 'id="nav-jobs"' in home
    assert 'id="nav-jobs-failed">1<' in home


def test_a_retry_in_progress_is_not_an_alert(personas, clock, daily_jobs):
    daily_jobs(("broken", "broken", time(0, 0)))
    scheduler.enqueue_due_jobs()

    page = client_for(personas.boss).get("/jobs/").content.decode()
    assert "Next attempt at" in page
    assert 'id="nav-jobs-failed"' not in page
    assert 'id="job-broken-alert"' not in page


def test_a_later_successful_day_clears_the_alert_but_keeps_the_failed_day(
    personas, clock, daily_jobs
):
    daily_jobs(("flaky", "flaky", time(0, 0)))
    fakes.failures_before_success["ALPHA"] = 3
    fail_three_times(clock)
    clock.now = clock.now.replace(day=10)
    scheduler.enqueue_due_jobs()

    page = client_for(personas.boss).get("/jobs/").content.decode()
    assert 'id="nav-jobs-failed"' not in page
    assert "database went away" in page and "worked on call 1" in page


def test_another_companys_runs_are_not_shown(personas, clock, daily_jobs):
    daily_jobs(("broken", "broken", time(0, 0)))
    fail_three_times(clock)
    JobRun.objects.for_company(personas.outsider_company).delete()

    page = client_for(personas.outsider).get("/jobs/").content.decode()

    assert "ALPHA" not in page and "see the migration log" not in page
    assert 'id="nav-jobs-failed"' not in page
    assert "No run yet." in page


@pytest.mark.parametrize("role", ["rep", "other_rep", "clerk"])
def test_reps_and_clerks_have_no_jobs_page_and_no_menu_link(personas, role):
    client = client_for(getattr(personas, role))
    assert client.get("/jobs/").status_code == 403
    assert client.post("/jobs/run/", {"job": "classify"}).status_code == 403
    assert 'id="nav-jobs"' not in client.get("/customers/").content.decode()


def test_the_manager_sees_the_page_without_the_run_button_and_may_not_run(
    personas, clock, daily_jobs
):
    daily_jobs(("count", "count_customers", time(0, 0)))
    manager = client_for(personas.manager)

    page = manager.get("/jobs/").content.decode()
    assert 'id="job-count"' in page and 'id="run-count"' not in page
    assert manager.post("/jobs/run/", {"job": "count"}).status_code == 403
    assert not JobRun.objects.exists()


def test_run_now_runs_todays_job_for_the_boss_company_only(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(23, 0)))  # not due yet today
    boss = client_for(personas.boss)

    page = boss.get("/jobs/").content.decode()
    assert 'id="run-count"' in page
    response = boss.post("/jobs/run/", {"job": "count"}, follow=True)

    run = JobRun.objects.get()
    assert (run.company, run.run_date, run.status) == (personas.company, date(2026, 3, 9), "done")
    assert run.requested_by == personas.boss
    assert fakes.calls == [("ALPHA", date(2026, 3, 9))]
    body = response.content.decode()
    assert "counted the customers of ALPHA as of 2026-03-09" in body
    assert "Started by" in body


def test_run_now_starts_a_failed_day_over_with_fresh_attempts(personas, clock, daily_jobs):
    daily_jobs(("flaky", "flaky", time(0, 0)))
    fakes.failures_before_success["ALPHA"] = 3
    fail_three_times(clock)
    run = JobRun.objects.for_company(personas.company).get()
    assert run.status == RunStatus.FAILED

    client_for(personas.boss).post("/jobs/run/", {"job": "flaky"})

    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == (RunStatus.DONE, 1, "")


def test_run_now_is_refused_while_the_day_is_waiting_for_a_retry(personas, clock, daily_jobs):
    daily_jobs(("broken", "broken", time(0, 0)))
    scheduler.enqueue_due_jobs()
    calls = len(fakes.calls)

    response = client_for(personas.boss).post("/jobs/run/", {"job": "broken"}, follow=True)

    assert "already queued or running" in response.content.decode()
    assert len(fakes.calls) == calls


def test_run_now_of_an_unknown_job_says_so_and_changes_nothing(personas, clock, daily_jobs):
    daily_jobs(("count", "count_customers", time(0, 0)))
    response = client_for(personas.boss).post("/jobs/run/", {"job": "nope"}, follow=True)
    assert "There is no daily job “nope”" in response.content.decode()
    assert not JobRun.objects.exists()
