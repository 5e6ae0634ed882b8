"""Staff record a score on the spot (visit) or by phone; a rep only for own customers; the
customer page shows a rep only their own customers' answers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dealercrm.satisfaction import services
from dealercrm.satisfaction.models import Survey
from dealercrm.visits import services as visits

pytestmark = pytest.mark.django_db


def test_a_rep_records_a_score_from_the_customer_page(personas, client):
    client.force_login(personas.rep)
    customer = personas.rep_customer

    response = client.post(
        f"/satisfaction/record/{customer.pk}/",
        {"score": "6", "source": "phone", "comment": "价格偏高"},
    )

    assert response.status_code == 302
    survey = Survey.objects.get()
    assert (survey.score, survey.source, survey.comment, survey.recorded_by) == (
        6,
        "phone",
        "价格偏高",
        personas.rep,
    )
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "价格偏高" in page and "Satisfaction score recorded." in page


@pytest.mark.parametrize("score", ["11", "x", ""])
def test_a_bad_score_gets_a_clear_error_and_nothing_is_stored(personas, client, score):
    client.force_login(personas.rep)
    response = client.post(
        f"/satisfaction/record/{personas.rep_customer.pk}/",
        {"score": score, "source": "visit"},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode() or "required" in (
        response.content.decode()
    )
    assert not Survey.objects.exists()


def test_the_service_takes_whole_numbers_from_0_to_10_only(personas):
    for score in (11, -1, "x", 7.5, True, " "):
        with pytest.raises(ValidationError) as error:
            services.record_survey(
                personas.rep_customer, score=score, source="visit", actor=personas.rep
            )
        assert "whole number from 0 to 10" in " ".join(error.value.messages)
    assert (
        services.record_survey(
            personas.rep_customer, score="10", source="visit", actor=personas.rep
        ).score
        == 10
    )
    assert (
        services.record_survey(
            personas.rep_customer, score=0, source="phone", actor=personas.rep
        ).score
        == 0
    )


def test_a_rep_cannot_record_for_another_reps_customer(personas, client):
    client.force_login(personas.rep)
    response = client.post(
        f"/satisfaction/record/{personas.other_rep_customer.pk}/", {"score": "9", "source": "visit"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_survey(
            personas.other_rep_customer, score=9, source="visit", actor=personas.rep
        )
    assert not Survey.objects.exists()


def test_a_clerk_may_not_record_scores(personas, client):
    client.force_login(personas.clerk)
    response = client.post(
        f"/satisfaction/record/{personas.rep_customer.pk}/", {"score": "9", "source": "visit"}
    )
    assert response.status_code == 403
    assert not Survey.objects.exists()


def test_the_visits_app_records_a_score_asked_on_a_visit(personas):
    visit = visits.record_visit(personas.rep_customer, personas.rep)

    survey = services.record_on_visit(visit, score=9, comment="陈列很好", actor=personas.rep)

    assert (survey.visit, survey.source, survey.customer) == (
        visit,
        "visit",
        personas.rep_customer,
    )


def test_a_visit_of_another_customer_is_refused(personas):
    visit = visits.record_visit(personas.other_rep_customer, personas.other_rep)
    with pytest.raises(ValidationError):
        services.record_survey(
            personas.rep_customer, score=9, source="visit", actor=personas.boss, visit=visit
        )
    assert not Survey.objects.exists()


def test_a_rep_sees_only_own_customers_answers(personas, client):
    mine = services.record_survey(
        personas.rep_customer, score=9, comment="爱丽的客户", source="visit", actor=personas.rep
    )
    services.record_survey(
        personas.other_rep_customer,
        score=3,
        comment="波的客户",
        source="visit",
        actor=personas.boss,
    )
    client.force_login(personas.rep)

    assert client.get(f"/customers/{personas.other_rep_customer.pk}/").status_code == 404
    assert list(Survey.objects.visible_to(personas.rep)) == [mine]
    assert client.get("/satisfaction/").status_code == 403


def test_the_customer_page_shows_answers_and_the_forms(personas, client):
    services.record_survey(
        personas.rep_customer, score=4, comment="送货慢", source="phone", actor=personas.boss
    )
    client.force_login(personas.manager)

    page = client.get(f"/customers/{personas.rep_customer.pk}/").content.decode()

    assert 'id="satisfaction"' in page
    assert "送货慢" in page
    assert 'id="score-form"' in page and 'id="create-survey-link"' in page


def test_a_rep_lists_only_own_customers_answers(personas, client):
    services.record_survey(
        personas.rep_customer, score=9, comment="爱丽的客户", source="visit", actor=personas.rep
    )
    services.record_survey(
        personas.other_rep_customer,
        score=3,
        comment="波的客户",
        source="visit",
        actor=personas.boss,
    )
    services.record_survey(
        personas.outsider_customer, score=3, comment="别家", source="visit", actor=personas.outsider
    )
    client.force_login(personas.rep)

    page = client.get("/satisfaction/mine/").content.decode()

    assert "爱丽的客户" in page
    assert "波的客户" not in page and "别家" not in page
    assert "NPS 100.0" in page
