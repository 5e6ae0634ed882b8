"""The demo complaints and answers load, deterministically, in every state."""

import pytest

from dealercrm.companies.services import local_today
from dealercrm.complaints.demo import load_demo_complaints
from dealercrm.complaints.models import Complaint
from dealercrm.satisfaction.demo import load_demo_surveys
from dealercrm.satisfaction.models import Survey
from dealercrm.testing import make_customer

pytestmark = pytest.mark.django_db


def test_the_demo_loads_complaints_and_answers(personas):
    for n in range(40):
        make_customer(personas.company, rep=personas.rep, code=f"D{n:03d}", name=f"演示店{n}")
    today = local_today(personas.company)

    complaints = load_demo_complaints(personas.company, today)
    answers = load_demo_surveys(personas.company, today)

    assert complaints == Complaint.objects.filter(company=personas.company).count() == 30
    assert answers == Survey.objects.filter(company=personas.company).count() > 5
    assert all(c.events.exists() for c in Complaint.objects.all())
    assert not Complaint.objects.filter(company=personas.outsider_company).exists()
