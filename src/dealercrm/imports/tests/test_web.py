import io

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dealercrm.customers.models import Customer
from dealercrm.imports import services
from dealercrm.imports.models import ExportJob, ImportJob
from dealercrm.imports.tests.helpers import database_state

IMPORT_URL = "/data/import/customers/"
EXPORT_URL = "/data/export/customers/"
GOOD_CSV = (
    "客户编码,客户名称,客户类型,详细地址,负责业务员\n"
    "W001,新野好客来超市,终端,河南省南阳市新野县书院路1号,alice\n"
)
BAD_CSV = "客户编码,客户名称,负责人,负责人手机\nW001,,张三,13812345678\nW002,好又多,李四,12345\n"


def _upload(client, text, name="customers.csv", encoding="utf-8"):
    upload = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(IMPORT_URL, {"file": upload})


def _xlsx_rows(content):
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return workbook.get_sheet_by_index(0).to_python()


@pytest.fixture
def clerk_client(client, personas):
    client.force_login(personas.clerk)
    return client


@pytest.fixture
def manager_client(client, personas):
    # Customer files hold personal data: only boss and manager export them.
    client.force_login(personas.manager)
    return client


def test_a_rep_cannot_open_the_import_page(client, personas):
    client.force_login(personas.rep)
    assert client.get(IMPORT_URL).status_code == 403
    assert _upload(client, GOOD_CSV).status_code == 403
    assert not ImportJob.objects.exists()


def test_the_import_page_needs_a_login(client, personas):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_upload_with_errors_shows_every_error_and_changes_nothing(clerk_client, personas):
    before = database_state()
    response = _upload(clerk_client, BAD_CSV)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import_job", args=[job.pk])
    assert job.status == "invalid" and job.error_count == 2
    assert [(e["row"], e["column"], e["value"]) for e in job.errors] == [
        (2, "客户名称", ""),
        (3, "负责人手机", "12345"),
    ]
    with translation.override("en"):
        page = clerk_client.get(response["Location"])
    assert page.status_code == 200
    assert b'id="job-errors"' in page.content and b"12345" in page.content
    assert b"commit-form" not in page.content
    assert database_state() == before


def test_a_good_upload_is_previewed_then_committed(clerk_client, personas):
    response = _upload(clerk_client, GOOD_CSV, encoding="gb18030")
    job = ImportJob.objects.get()
    assert job.status == "ready"
    assert (job.summary["new"], job.summary["updated"], job.summary["unchanged"]) == (1, 0, 0)
    assert not Customer.objects.filter(code="W001").exists()
    preview = clerk_client.get(response["Location"])
    assert b"commit-form" in preview.content and "新野好客来超市".encode() in preview.content

    committed = clerk_client.post(reverse("imports:import_commit", args=[job.pk]))

    assert committed.status_code == 302
    job.refresh_from_db()
    assert job.status == "done"
    customer = Customer.objects.get(company=personas.company, code="W001")
    assert customer.rep == personas.rep and customer.county.name == "新野县"
    done = clerk_client.get(committed["Location"])
    assert reverse("customers:list").encode() in done.content


def test_a_job_cannot_be_committed_twice(clerk_client, personas):
    _upload(clerk_client, GOOD_CSV)
    job = ImportJob.objects.get()
    clerk_client.post(reverse("imports:import_commit", args=[job.pk]))
    clerk_client.post(reverse("imports:import_commit", args=[job.pk]))
    assert Customer.objects.filter(code="W001").count() == 1


def test_the_job_page_polls_while_the_file_is_checked(clerk_client, personas):
    job = ImportJob.objects.create(
        company=personas.company,
        user=personas.clerk,
        kind="customers",
        file_name="big.csv",
        file_path="/nonexistent/big.csv",
        status="checking",
        rows_total=100_000,
        rows_done=25_000,
        stage="check",
    )
    url = reverse("imports:import_job", args=[job.pk])
    page = clerk_client.get(url)
    assert b'hx-trigger="every 1s"' in page.content and b'value="25"' in page.content
    fragment = clerk_client.get(url, headers={"HX-Request": "true"})
    assert fragment.content.lstrip().startswith(b'<div id="job-panel"')


def test_another_companys_job_is_not_found(client, clerk_client, personas):
    _upload(clerk_client, GOOD_CSV)
    job = ImportJob.objects.get()
    client.force_login(personas.outsider)
    assert client.get(reverse("imports:import_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:import_commit", args=[job.pk])).status_code == 404
    assert not Customer.objects.filter(code="W001").exists()


def test_a_web_export_is_the_list_with_its_filters(manager_client, personas):
    response = manager_client.get(EXPORT_URL, {"q": "红星"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_rows(response.content)
    assert rows[0][:2] == ["客户编码", "客户名称"]
    assert [row[:2] for row in rows[1:]] == [["A002", "红星便利店"]]


def test_a_web_export_as_csv_holds_only_the_companys_customers(manager_client, personas):
    response = manager_client.get(EXPORT_URL, {"format": "csv"})
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    codes = [line.split(",")[0] for line in content.decode("utf-8-sig").splitlines()[1:]]
    assert codes == ["A001", "A002"]
    assert b"139 1234 5678" not in content  # beta's 华鑫超市


def test_a_rep_may_not_export_and_sees_only_own_customers_anyway(client, personas):
    client.force_login(personas.rep)
    assert client.get(EXPORT_URL).status_code == 403
    assert client.get(EXPORT_URL, {"format": "csv"}).status_code == 403
    from dealercrm.customers.exporting import CustomerExporter

    rows = list(CustomerExporter(company=personas.company, user=personas.rep).rows())
    assert [row[0] for row in rows] == ["A001"]


def test_a_large_export_runs_as_a_job_with_a_download(manager_client, personas, monkeypatch):
    monkeypatch.setattr(services, "DIRECT_EXPORT_LIMIT", 1)
    response = manager_client.get(EXPORT_URL, {"format": "csv"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("imports:export_job", args=[job.pk])
    assert job.status == "done" and job.rows_done == 2
    page = manager_client.get(response["Location"])
    assert b'id="download"' in page.content
    download = manager_client.get(reverse("imports:export_download", args=[job.pk]))
    assert b"".join(download.streaming_content).decode("utf-8-sig").count("\n") == 3

    manager_client.force_login(personas.boss)  # same company, not the requester
    assert manager_client.get(reverse("imports:export_download", args=[job.pk])).status_code == 404


def test_the_commit_checks_the_file_again(clerk_client, personas):
    _upload(clerk_client, GOOD_CSV)
    job = ImportJob.objects.get()
    assert job.status == "ready"
    personas.rep.is_active = False  # alice leaves between the preview and the commit
    personas.rep.save()

    clerk_client.post(reverse("imports:import_commit", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == "invalid"
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "负责业务员")]
    assert not Customer.objects.filter(code="W001").exists()


def test_only_xlsx_and_csv_files_are_accepted(clerk_client, personas):
    upload = SimpleUploadedFile("customers.txt", b"hello", content_type="text/plain")
    response = clerk_client.post(IMPORT_URL, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b".xlsx or .csv" in response.content
    assert not ImportJob.objects.exists()
