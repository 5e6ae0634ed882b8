"""The classes page, the customer page's class panel, and who may do what."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from dealercrm.core.tests.apiclient import ApiClient
from dealercrm.segmentation import services
from dealercrm.segmentation.models import (
    ClassificationRun,
    ClassOverride,
    ClassSettings,
    ServicePolicy,
)
from dealercrm.segmentation.tests.helpers import Line, add_lines


def client_for(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def classified(personas):
    today = services.local_today(personas.company)
    add_lines(
        personas.company,
        [
            Line(personas.rep_customer.pk, today, Decimal(1), Decimal("900"), None),
            Line(personas.other_rep_customer.pk, today, Decimal(1), Decimal("100"), None),
        ],
    )
    services.classify(personas.company)
    return personas


def test_the_boss_sees_counts_shares_curve_and_moves(classified):
    today = services.local_today(classified.company)
    add_lines(
        classified.company,
        [Line(classified.other_rep_customer.pk, today, Decimal(1), Decimal("9000"), None)],
    )
    services.classify(classified.company)
    body = client_for(classified.boss).get("/classes/").content.decode()
    assert 'id="pareto-data"' in body and "pareto-chart.js" in body
    assert "91.0% of sales" in body and "9.0% of sales" in body
    assert body.count('class="move"') == 2
    assert 'id="recompute"' in body and 'id="policy-form"' in body and 'id="settings-form"' in body


def test_a_clerk_sees_the_page_but_no_forms(classified):
    body = client_for(classified.clerk).get("/classes/").content.decode()
    assert 'id="pareto-chart"' in body
    assert 'id="recompute"' not in body and 'id="settings-form"' not in body
    assert 'id="policy-form"' not in body
    assert "sales amount" in body and "Visit every (days)" in body


def test_a_rep_does_not_see_the_classes_page_or_its_link(classified):
    client = client_for(classified.rep)
    assert client.get("/classes/").status_code == 403
    assert 'id="nav-classes"' not in client.get("/customers/").content.decode()
    assert 'id="nav-classes"' in client_for(classified.boss).get("/customers/").content.decode()


def test_recompute_runs_in_the_background_and_shows_the_result(classified):
    client = client_for(classified.manager)
    response = client.post("/classes/recompute/")
    assert response.status_code == 302
    run = ClassificationRun.objects.filter(company=classified.company).first()
    assert run.status == "done" and run.actor == classified.manager
    panel = client.get("/classes/status/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="run-result"' in panel and "0 changed class" in panel


def test_a_rep_or_clerk_cannot_recompute_or_change_settings_or_policies(classified):
    for user in (classified.rep, classified.clerk):
        client = client_for(user)
        assert client.post("/classes/recompute/").status_code == 403
        assert client.post("/classes/settings/", {"metric": "quantity"}).status_code == 403
        assert client.post("/classes/policies/", {}).status_code == 403
    assert client_for(classified.manager).post("/classes/policies/", {}).status_code == 403
    assert ClassSettings.objects.get(company=classified.company).metric == "amount"
    assert ClassificationRun.objects.filter(company=classified.company).count() == 1


def test_the_manager_changes_the_settings(classified):
    client = client_for(classified.manager)
    data = {"metric": "profit", "a_threshold": "60", "b_threshold": "85", "window_days": "180"}
    assert client.post("/classes/settings/", data).status_code == 302
    config = ClassSettings.objects.get(company=classified.company)
    assert (config.metric, config.a_threshold, config.window_days) == ("profit", Decimal("60"), 180)


def test_settings_with_b_below_a_are_refused(classified):
    data = {"metric": "amount", "a_threshold": "80", "b_threshold": "70", "window_days": "365"}
    body = client_for(classified.boss).post("/classes/settings/", data).content.decode()
    assert "The B threshold must be above the A threshold." in body
    assert ClassSettings.objects.get(company=classified.company).a_threshold == Decimal("70")


def test_the_boss_edits_the_service_policies(classified):
    data = {}
    for abc, days in (("A", "5"), ("B", "10"), ("C", "45")):
        data[f"policy-{abc}-visit_interval_days"] = days
    data["policy-A-care_actions"] = ["birthday_gift", "festival_visit"]
    assert client_for(classified.boss).post("/classes/policies/", data).status_code == 302
    policy = services.service_policy(classified.company, "A")
    assert (policy.visit_interval_days, policy.care_actions) == (
        5,
        ["birthday_gift", "festival_visit"],
    )
    assert services.service_policy(classified.company, "C").care_actions == []
    assert not ServicePolicy.objects.filter(company=classified.outsider_company).exists()


def test_the_customer_page_explains_the_class(classified):
    body = (
        client_for(classified.rep).get(f"/customers/{classified.rep_customer.pk}/").content.decode()
    )
    assert 'id="effective-class">A<' in body
    assert "1 of 2" in body and "Visit every 7 days" in body
    assert 'id="override-form"' not in body


def test_the_manager_overrides_from_the_customer_page_and_removes_it(classified):
    client = client_for(classified.manager)
    pk = classified.other_rep_customer.pk
    response = client.post(
        "/classes/override/",
        {"customer": pk, "abc_class": "A", "reason": "新开大卖场", "expires_on": ""},
    )
    assert response.status_code == 302
    body = client.get(f"/customers/{pk}/").content.decode()
    assert 'id="effective-class">A<' in body and "新开大卖场" in body and "computed: C" in body
    client.post("/classes/override/remove/", {"customer": pk})
    body = client.get(f"/customers/{pk}/").content.decode()
    assert 'id="effective-class">C<' in body and 'id="remove-override"' not in body


def test_an_override_without_a_reason_changes_nothing(classified):
    pk = classified.other_rep_customer.pk
    response = client_for(classified.boss).post(
        "/classes/override/", {"customer": pk, "abc_class": "A", "reason": ""}, follow=True
    )
    assert "Reason: This field is required." in response.content.decode()
    assert not ClassOverride.objects.exists()


def test_a_rep_cannot_override(classified):
    client = client_for(classified.rep)
    pk = classified.rep_customer.pk
    assert (
        client.post(
            "/classes/override/", {"customer": pk, "abc_class": "C", "reason": "x"}
        ).status_code
        == 403
    )
    assert client.post("/classes/override/remove/", {"customer": pk}).status_code == 403
    assert not ClassOverride.objects.exists()


def test_another_companys_customer_is_not_found(classified):
    client = client_for(classified.outsider)
    pk = classified.rep_customer.pk
    assert (
        client.post(
            "/classes/override/", {"customer": pk, "abc_class": "C", "reason": "x"}
        ).status_code
        == 404
    )
    assert client.post("/classes/override/remove/", {"customer": pk}).status_code == 404
    assert (
        client.post(
            "/classes/override/", {"customer": "abc", "abc_class": "C", "reason": "x"}
        ).status_code
        == 404
    )
    assert not ClassOverride.objects.exists()


def test_the_list_filter_api_filter_and_export_follow_the_effective_class(classified, tmp_path):
    services.set_override(
        classified.other_rep_customer,
        abc_class="A",
        reason="重点",
        expires_on=None,
        actor=classified.boss,
    )
    page = client_for(classified.boss).get("/customers/", {"abc_class": "A"}).content.decode()
    assert "红星便利店" in page and "华鑫超市" in page
    page = client_for(classified.boss).get("/customers/", {"abc_class": "B"}).content.decode()
    assert "红星便利店" not in page
    api = ApiClient(classified.boss).get("customers", abc_class="A").json()
    assert sorted(item["code"] for item in api["items"]) == ["A001", "A002"]
    path = tmp_path / "c.csv"
    call_command("export", "customers", str(path), "--company", "ALPHA")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    column = rows[0].index("客户等级")
    assert [row[column] for row in rows[1:]] == ["A", "A"]


def test_the_page_before_any_computation(personas):
    body = client_for(personas.boss).get("/classes/").content.decode()
    assert 'id="no-run"' in body and "pareto-chart.js" not in body
    body = client_for(personas.boss).get(f"/customers/{personas.rep_customer.pk}/").content.decode()
    assert "Not computed yet." in body


def test_window_edges_on_the_page_as_of(personas):
    # a line a year and a day before the as-of date does not count
    add_lines(
        personas.company,
        [Line(personas.rep_customer.pk, date(2025, 3, 30), Decimal(1), Decimal("5"), None)],
    )
    services.classify(personas.company, as_of=date(2026, 3, 30))
    personas.rep_customer.refresh_from_db()
    assert personas.rep_customer.abc_class == "C"
