"""The jobs page in a real browser on a phone: the boss follows the alert and runs a job."""

from datetime import date, time

import pytest

from dealercrm.jobs.choices import RunStatus
from dealercrm.jobs.models import JobRun
from dealercrm.testing import log_in, watch_for_blocked_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_boss_follows_the_failed_job_alert_and_runs_the_job_again(
    phone_page, personas, clock, daily_jobs
):
    daily_jobs(("count", "count_customers", time(0, 0)))
    JobRun.objects.create(
        company=personas.company,
        job="count",
        run_date=date(2026, 3, 9),
        status=RunStatus.FAILED,
        attempts=3,
        error="OperationalError: database is locked",
    )
    page = phone_page
    problems = watch_for_blocked_content(page)
    log_in(page, "boss")

    page.click(".navbar-toggler")
    # Bootstrap adds .show when the menu has finished opening; until then its links move.
    page.wait_for_selector("#main-nav.show")
    assert page.locator("#nav-jobs-failed").inner_text().startswith("1")
    page.click("#nav-jobs")
    page.wait_for_selector("#job-count-alert")
    assert "database is locked" in page.locator("#job-count").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.click("#run-count")
    page.wait_for_selector(".job-run-done")
    assert "counted the customers of ALPHA" in page.locator("#job-count").inner_text()
    assert page.locator("#nav-jobs-failed").count() == 0
    assert problems == []
