"""Lists and pickers of people name them in pinyin order (陈, 何, 王), as a Chinese reader looks for
them; by code point 何 < 王 < 陈, and the usernames below sort 王, 何, 陈."""

import pytest

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.complaints.forms import ComplaintFilterForm, ComplaintForm, ReassignForm
from dealercrm.customers.forms import CustomerFilterForm
from dealercrm.imports.forms import ExportLogFilterForm
from dealercrm.ownership.forms import BulkAssignForm, HandoverForm
from dealercrm.reminders.services import possible_assignees
from dealercrm.retention.forms import WarningFilterForm
from dealercrm.staff.services import profile_for
from dealercrm.testing import UserFactory
from dealercrm.visits.forms import PlanForm, VisitFilterForm

pytestmark = pytest.mark.django_db

NAMES = ("陈六", "何七", "王五")


@pytest.fixture
def three_reps(personas):
    for username, name in (("a_wang", "王五"), ("b_he", "何七"), ("c_chen", "陈六")):
        profile_for(UserFactory(company=personas.company, username=username, display_name=name))
    return personas


def order_of(labels) -> list[str]:
    return [str(label) for label in labels if str(label) in NAMES]


def choice_labels(field) -> list[str]:
    return order_of(label for _, label in field.choices)


FORMS = {
    "customer list owner": lambda p: CustomerFilterForm(user=p.boss).fields["owner"],
    "warnings rep": lambda p: WarningFilterForm(user=p.boss).fields["rep"],
    "bulk assign rep": lambda p: BulkAssignForm(user=p.boss).fields["rep"],
    "handover recipients": lambda p: HandoverForm(user=p.boss, leaving=None).fields["recipients"],
    "visit plan rep": lambda p: PlanForm(user=p.boss).fields["rep"],
    "visit list rep": lambda p: VisitFilterForm(user=p.boss).fields["rep"],
    "complaint handler": lambda p: ComplaintForm(user=p.boss, may_choose_owner=True).fields[
        "owner"
    ],
    "complaint reassign": lambda p: ReassignForm(user=p.boss).fields["owner"],
    "complaint filter": lambda p: ComplaintFilterForm(user=p.boss).fields["owner"],
    "export log user": lambda p: ExportLogFilterForm(viewer=p.boss).fields["user"],
}


@pytest.mark.parametrize("picker", FORMS.values(), ids=FORMS.keys())
def test_a_picker_of_people_lists_them_in_pinyin_order(three_reps, picker):
    field = picker(three_reps)
    assert choice_labels(field) == list(NAMES)
    # What the browser gets, too (a model choice field renders through its widget).
    html = str(field.widget.render("people", None))
    assert [html.index(name) for name in NAMES] == sorted(html.index(name) for name in NAMES)


def test_follow_up_assignees_are_in_pinyin_order(three_reps):
    # Managers may hold a follow-up on any customer of the company (a rep only on own ones).
    User.objects.filter(display_name__in=NAMES).update(role=Role.MANAGER)
    assert order_of(possible_assignees(three_reps.rep_customer)) == list(NAMES)


def test_the_handover_page_lists_employees_in_pinyin_order(client, three_reps):
    client.force_login(three_reps.boss)
    rows = client.get("/ownership/handover/").context["rows"]
    assert order_of(employee.name for employee, _ in rows) == list(NAMES)
