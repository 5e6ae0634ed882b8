"""Exporting customer files is for boss and manager; every export is logged (ExportRecord)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dealercrm.imports import services
from dealercrm.imports.models import ExportJob, ExportRecord

EXPORT_URL = "/data/export/customers/"
LOG_URL = "/data/exports/log/"


@pytest.mark.parametrize("role", ["clerk", "rep"])
def test_a_clerk_or_a_rep_gets_403_on_customer_export_and_no_file_no_record(client, personas, role):
    client.force_login(getattr(personas, role))
    for params in ({}, {"format": "csv"}):
        response = client.get(EXPORT_URL, params)
        assert response.status_code == 403
        assert "Content-Disposition" not in response
    assert not ExportJob.objects.exists()
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("role", ["boss", "manager"])
def test_a_boss_or_manager_export_writes_one_record_with_the_row_count(client, personas, role):
    user = getattr(personas, role)
    client.force_login(user)
    response = client.get(EXPORT_URL, {"kind": "terminal"})
    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert (record.company, record.user, record.actor_name) == (personas.company, user, role)
    assert (record.source, record.kind, record.rows) == ("web", "customers", 2)
    assert record.query == "kind=terminal"
    assert record.file_name.startswith("customers-") and record.file_name.endswith(".xlsx")


def test_a_streamed_csv_export_is_recorded_once_the_file_is_complete(client, personas):
    client.force_login(personas.manager)
    response = client.get(EXPORT_URL, {"format": "csv", "q": "红星"})
    assert not ExportRecord.objects.exists()  # nothing has been sent yet
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get()
    assert record.rows == 1 and record.query == "q=%E7%BA%A2%E6%98%9F"


def test_a_large_export_job_writes_one_record_when_the_file_is_done(client, personas, monkeypatch):
    monkeypatch.setattr(services, "DIRECT_EXPORT_LIMIT", 1)
    client.force_login(personas.boss)
    client.get(EXPORT_URL, {"format": "csv"})
    job = ExportJob.objects.get()
    assert job.status == "done"
    record = ExportRecord.objects.get()
    assert (record.user, record.rows, record.file_name) == (personas.boss, 2, job.download_name)


def test_a_failed_export_job_is_not_recorded(client, personas, monkeypatch):
    monkeypatch.setattr(services, "DIRECT_EXPORT_LIMIT", 1)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "write_table", broken)
    client.force_login(personas.boss)
    client.get(EXPORT_URL)
    assert ExportJob.objects.get().status == "failed"
    assert not ExportRecord.objects.exists()


def test_the_export_command_writes_one_record_as_the_command_line(personas, tmp_path):
    path = tmp_path / "customers.csv"
    call_command("export", "customers", str(path), "--company", "ALPHA")
    record = ExportRecord.objects.get()
    assert (record.company, record.user, record.actor_name) == (
        personas.company,
        None,
        "command line",
    )
    assert (record.source, record.kind, record.rows, record.file_name) == (
        "command",
        "customers",
        2,
        "customers.csv",
    )


def test_the_export_command_with_a_user_records_that_user(personas, tmp_path):
    call_command(
        "export", "customers", str(tmp_path / "c.xlsx"), "--company", "ALPHA", "--user", "boss"
    )
    record = ExportRecord.objects.get()
    assert (record.user, record.source, record.rows) == (personas.boss, "command", 2)


def test_orders_and_products_exports_keep_their_own_permissions_and_are_logged(client, personas):
    client.force_login(personas.clerk)
    assert client.get("/data/export/orders/").status_code == 200
    assert client.get("/data/export/products/").status_code == 200
    assert sorted(ExportRecord.objects.values_list("kind", "user__username")) == [
        ("orders", "clerk"),
        ("products", "clerk"),
    ]


def _record(personas, *, user, kind="customers", rows=1, at=None):
    record = services.record_export(
        company=personas.company, user=user, source="web", kind=kind, rows=rows
    )
    if at is not None:
        ExportRecord.objects.filter(pk=record.pk).update(at=at)
    return record


def test_the_export_log_is_for_boss_and_manager_only(client, personas):
    for role in ("clerk", "rep"):
        client.force_login(getattr(personas, role))
        assert client.get(LOG_URL).status_code == 403
    for role in ("boss", "manager"):
        client.force_login(getattr(personas, role))
        assert client.get(LOG_URL).status_code == 200
    assert reverse("imports:export_log") == LOG_URL


def test_the_export_log_shows_who_exported_what_and_how_many_rows(client, personas):
    _record(personas, user=personas.manager, rows=1234)
    services.record_export(
        company=personas.company, user=None, source="command", kind="customers", rows=7
    )
    services.record_export(
        company=personas.outsider_company,
        user=personas.outsider,
        source="web",
        kind="orders",
        rows=99,
    )
    client.force_login(personas.boss)
    page = client.get(LOG_URL, HTTP_ACCEPT_LANGUAGE="en")
    records = list(page.context["page"].object_list)
    assert [r.rows for r in records] == [7, 1234]
    html = page.content.decode()
    assert "李经理" in html and "1234" in html and "command line" in html
    assert "外人" not in html


def test_the_export_log_filters_by_user_kind_and_month(client, personas):
    tz = timezone.get_current_timezone()
    march = timezone.make_aware(dt.datetime(2026, 3, 31, 23, 30), tz)
    april = timezone.make_aware(dt.datetime(2026, 4, 1, 0, 30), tz)
    _record(personas, user=personas.manager, rows=1, at=march)
    _record(personas, user=personas.manager, kind="orders", rows=2, at=april)
    _record(personas, user=personas.boss, rows=3, at=april)
    client.force_login(personas.boss)

    def rows(**params):
        return sorted(r.rows for r in client.get(LOG_URL, params).context["page"].object_list)

    assert rows() == [1, 2, 3]
    assert rows(user=personas.manager.pk) == [1, 2]
    assert rows(kind="customers") == [1, 3]
    assert rows(month="2026-04") == [2, 3]
    assert rows(month="2026-03", user=personas.manager.pk) == [1]


def test_the_export_log_pages(client, personas):
    for _ in range(51):
        _record(personas, user=personas.boss)
    client.force_login(personas.boss)
    first = client.get(LOG_URL)
    assert len(first.context["page"].object_list) == 50 and b'id="page-next"' in first.content
    assert len(client.get(LOG_URL, {"page": 2}).context["page"].object_list) == 1
