"""Pickers of people list them in pinyin order (陈, 何, 王), as a Chinese reader looks for them."""

import pytest

from dealercrm.complaints.forms import ComplaintForm
from dealercrm.customers.forms import CustomerFilterForm
from dealercrm.testing import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_reps(personas):
    # Created out of order, and with usernames that sort the other way.
    for username, name in (("a_wang", "王五"), ("b_he", "何七"), ("c_chen", "陈六")):
        UserFactory(company=personas.company, username=username, display_name=name)
    return personas


def order_of(labels) -> list[str]:
    return [label for label in labels if label in {"王五", "何七", "陈六"}]


def test_the_customer_lists_owner_filter_names_reps_in_pinyin_order(three_reps):
    form = CustomerFilterForm(user=three_reps.boss)
    assert order_of(label for _, label in form.fields["owner"].choices) == ["陈六", "何七", "王五"]


def test_a_model_choice_of_people_is_rendered_in_pinyin_order(three_reps):
    form = ComplaintForm(user=three_reps.boss, may_choose_owner=True)
    html = str(form["owner"])
    positions = [html.index(name) for name in ("陈六", "何七", "王五")]
    assert positions == sorted(positions)
