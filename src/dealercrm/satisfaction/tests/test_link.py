"""The one-time survey link: the customer answers once without logging in; the token alone
decides whose answer it is; expired, used and unknown links record nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dealercrm.satisfaction import services
from dealercrm.satisfaction.models import Survey, SurveyLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(personas):
    return services.create_link(personas.rep_customer, personas.rep)


def test_only_the_hash_of_the_token_is_stored(personas, link):
    row, raw = link
    assert len(raw) >= 30
    assert row.token_hash != raw and raw not in row.token_hash
    assert SurveyLink.objects.filter(token_hash=services.hash_token(raw)).count() == 1
    assert row.expires_at - timezone.now() > timedelta(days=13, hours=23)


def test_the_page_shows_only_the_company_and_the_customers_name(personas, client, link):
    _row, raw = link
    page = client.get(f"/s/{raw}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "阿尔法食品" in html and "华鑫超市" in html
    assert personas.rep_customer.phone not in html
    assert personas.rep.display_name not in html
    assert "A001" not in html
    assert page["Referrer-Policy"] == "same-origin"


def test_a_link_works_once(personas, client, link):
    row, raw = link
    first = client.post(f"/s/{raw}/", {"score": "9", "comment": "送货很及时"})
    second = client.post(f"/s/{raw}/", {"score": "2", "comment": "再答一次"})

    assert first.status_code == 200
    assert "Thank you! Your answer has been recorded." in first.content.decode()
    assert "already been answered" in second.content.decode()
    survey = Survey.objects.get()
    assert (survey.customer, survey.score, survey.comment, survey.source) == (
        personas.rep_customer,
        9,
        "送货很及时",
        "link",
    )
    row.refresh_from_db()
    assert row.used_at is not None and row.survey == survey
    assert "already been answered" in client.get(f"/s/{raw}/").content.decode()


def test_a_second_answer_through_the_service_is_refused(personas, link):
    _row, raw = link
    services.answer_link(raw, score=7)
    with pytest.raises(services.LinkUnavailable) as refused:
        services.answer_link(raw, score=3)
    assert refused.value.reason == "used"
    assert Survey.objects.count() == 1


def test_an_expired_link_records_nothing(personas, client, link):
    row, raw = link
    SurveyLink.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    shown = client.get(f"/s/{raw}/").content.decode()
    posted = client.post(f"/s/{raw}/", {"score": "10"})

    assert "This link has expired" in shown
    assert "This link has expired" in posted.content.decode()
    assert not Survey.objects.exists()
    row.refresh_from_db()
    assert row.used_at is None


def test_an_unknown_token_is_not_found(personas, client, link):
    assert client.get("/s/not-a-real-token/").status_code == 404
    assert client.post("/s/not-a-real-token/", {"score": "5"}).status_code == 404
    assert not Survey.objects.exists()


@pytest.mark.parametrize("score", ["11", "x", "-1", "", "5.5"])
def test_a_bad_score_is_refused_and_nothing_is_stored(personas, client, link, score):
    row, raw = link
    response = client.post(f"/s/{raw}/", {"score": score, "comment": "好"})

    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose a score from 0 to 10." in html or "whole number from 0 to 10" in html
    assert not Survey.objects.exists()
    row.refresh_from_db()
    assert row.used_at is None


def test_the_service_refuses_a_bad_score_too(personas, link):
    _row, raw = link
    for score in (11, -1, "x", True, None, 5.5):
        with pytest.raises(services.ValidationError):
            services.answer_link(raw, score=score)
    assert not Survey.objects.exists()


def test_a_form_field_naming_another_customer_or_company_is_ignored(personas, client, link):
    _row, raw = link
    client.post(
        f"/s/{raw}/",
        {
            "score": "3",
            "customer": personas.other_rep_customer.pk,
            "customer_id": personas.outsider_customer.pk,
            "company": personas.outsider_company.pk,
        },
    )

    survey = Survey.objects.get()
    assert survey.customer == personas.rep_customer
    assert survey.company == personas.company
    assert not Survey.objects.filter(company=personas.outsider_company).exists()


def test_a_token_of_one_company_never_writes_to_another(personas, client):
    _alpha_row, alpha_raw = services.create_link(personas.rep_customer, personas.boss)
    _beta_row, beta_raw = services.create_link(personas.outsider_customer, personas.outsider)

    client.post(f"/s/{beta_raw}/", {"score": "10"})

    assert "贝塔商贸" in client.get(f"/s/{beta_raw}/").content.decode()
    assert list(Survey.objects.values_list("company__code", "customer__pk")) == [
        ("BETA", personas.outsider_customer.pk)
    ]
    assert "阿尔法食品" in client.get(f"/s/{alpha_raw}/").content.decode()


def test_the_answer_keeps_the_customers_rep_class_and_region_of_that_day(personas, link):
    from dealercrm.regions.models import SalesRegion

    region = SalesRegion.objects.create(company=personas.company, name="城东片区")
    customer = personas.rep_customer
    type(customer).objects.filter(pk=customer.pk).update(abc_class="A", sales_region=region)
    _row, raw = link

    survey = services.answer_link(raw, score=8)

    assert (survey.rep, survey.abc_class, survey.sales_region) == (personas.rep, "A", region)
    assert survey.recorded_by is None


def test_a_rep_creates_links_only_for_own_customers(personas, client):
    client.force_login(personas.rep)

    assert client.post(f"/satisfaction/link/{personas.other_rep_customer.pk}/").status_code == 404
    page = client.post(f"/satisfaction/link/{personas.rep_customer.pk}/", {"days": "7"})

    assert page.status_code == 200
    assert SurveyLink.objects.get().customer == personas.rep_customer
    url = page.context["url"]
    assert "/s/" in url and url in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    # The page shows the link once: the customer page never shows it again.
    detail = client.get(f"/customers/{personas.rep_customer.pk}/").content.decode()
    assert url not in detail
    assert "1 link waiting for an answer" in detail


def test_a_link_open_for_too_many_days_is_refused(personas, client):
    client.force_login(personas.rep)
    client.post(f"/satisfaction/link/{personas.rep_customer.pk}/", {"days": "365"})
    assert not SurveyLink.objects.exists()
