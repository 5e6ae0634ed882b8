"""The import pages in a real browser: upload, preview, commit, and htmx polling under the CSP."""

import re

import pytest
from django.urls import reverse

from dealercrm.customers.models import Customer
from dealercrm.imports.models import ImportJob
from dealercrm.testing import log_in, watch_for_blocked_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD_CSV = (
    "客户编码,客户名称,客户类型,详细地址,负责业务员\n"
    "W001,新野好客来超市,终端,河南省南阳市新野县书院路1号,alice\n"
)


def test_a_clerk_uploads_previews_and_commits_a_file(browser_page, personas, tmp_path):
    page = browser_page
    problems = watch_for_blocked_content(page)
    path = tmp_path / "customers.csv"
    path.write_text(GOOD_CSV, encoding="gb18030")
    log_in(page, "clerk")
    page.click("#import-customers")
    page.set_input_files("#upload-form input[type=file]", str(path))
    page.click("#upload-button")

    page.wait_for_selector("#commit-button")
    assert page.locator("#summary-new").inner_text() == "1"
    assert "新野好客来超市" in page.locator("#job-sample").inner_text()
    page.click("#commit-button")

    page.wait_for_selector("#job-done")
    page.click("#to-list")
    page.wait_for_url(re.compile(r"/customers/$"))
    assert Customer.objects.filter(company=personas.company, code="W001").exists()
    assert problems == []


def test_the_job_page_follows_a_running_check(phone_page, personas):
    job = ImportJob.objects.create(
        company=personas.company,
        user=personas.clerk,
        kind="customers",
        file_name="big.csv",
        file_path="/nonexistent/big.csv",
        status="checking",
        stage="check",
        rows_total=1000,
        rows_done=400,
    )
    page = phone_page
    problems = watch_for_blocked_content(page)
    log_in(page, "clerk")
    page.goto(reverse("imports:import_job", args=[job.pk]))
    assert page.locator("progress.job-progress").get_attribute("value") == "40"

    ImportJob.objects.filter(pk=job.pk).update(
        status="invalid",
        error_count=1,
        errors=[{"row": 7, "column": "负责人手机", "value": "12345", "message": "not a mobile"}],
    )

    page.wait_for_selector("#job-errors", timeout=5000)  # htmx polls every second
    assert "负责人手机" in page.locator("#job-errors").inner_text()
    assert problems == []
