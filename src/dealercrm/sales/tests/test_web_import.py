import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dealercrm.imports.models import ImportJob
from dealercrm.sales.models import OrderLine
from dealercrm.sales.tests.helpers import catalogue

IMPORT_URL = "/data/import/orders/"
GOOD_CSV = (
    "单号,日期,客户编码,产品编码,数量,金额\n"
    "W-1,2025-03-01,A001,P01,2,20\n"
    "W-1,2025-03-01,A001,P02,-1,-5\n"
)
BAD_CSV = "单号,日期,客户编码,产品编码,数量,金额\nW-1,2025-13-01,A001,P01,2,20\n"


def _upload(client, text):
    upload = SimpleUploadedFile("orders.csv", text.encode(), content_type="text/csv")
    return client.post(IMPORT_URL, {"file": upload})


@pytest.fixture
def clerk_client(client, personas):
    catalogue(personas.company)
    client.force_login(personas.clerk)
    return client


def test_a_clerk_uploads_checks_and_commits_an_orders_file(clerk_client):
    response = _upload(clerk_client, GOOD_CSV)
    job = ImportJob.objects.get()

    assert response.status_code == 302
    assert job.status == "ready" and job.summary["new"] == 2
    assert not OrderLine.objects.exists()

    clerk_client.post(reverse("imports:import_commit", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == "done"
    assert OrderLine.objects.count() == 2


def test_a_bad_orders_upload_lists_the_error_by_row_and_column(clerk_client):
    _upload(clerk_client, BAD_CSV)
    job = ImportJob.objects.get()

    assert job.status == "invalid"
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "日期")]
    assert not OrderLine.objects.exists()


def test_a_rep_cannot_import_orders(client, personas):
    client.force_login(personas.rep)

    assert _upload(client, GOOD_CSV).status_code == 403
    assert not ImportJob.objects.exists()
