"""The agenda page, the done button, and the care section of the customer page."""

from datetime import date

import pytest
from django.test import Client

from dealercrm.care.models import CareRecord

from .helpers import score, with_birthday
from .test_agenda import DAY, make_everything

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_agenda_page_shows_the_days_items_grouped_by_kind_with_counts(personas):
    make_everything(personas)
    page = client_for(personas.rep).get("/agenda/", {"date": "2027-04-20"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="kind-birthday"' in html and 'id="kind-complaint"' in html
    assert "华鑫超市老板 (华鑫超市) birthday 04-20" in html
    assert "红星便利店" not in html
    assert "?date=2027-04-19" in html and "?date=2027-04-21" in html


def test_a_manager_may_narrow_the_agenda_to_one_rep(personas):
    make_everything(personas)
    client = client_for(personas.manager)
    everyone = client.get("/agenda/", {"date": "2027-04-20"}).content.decode()
    assert "华鑫超市" in everyone and "红星便利店" in everyone
    bob = client.get("/agenda/", {"date": "2027-04-20", "rep": personas.other_rep.pk})
    assert "红星便利店" in bob.content.decode()
    assert "华鑫超市老板" not in bob.content.decode()


def test_a_bad_date_says_so_and_shows_today(personas):
    page = client_for(personas.rep).get("/agenda/", {"date": "2027-13-01"})
    assert page.status_code == 200
    assert "“2027-13-01” is not a date; write it as YYYY-MM-DD." in page.content.decode()


def test_the_agenda_needs_a_login(personas):
    assert Client().get("/agenda/").status_code == 302


def test_done_and_undo_from_the_page(personas):
    contact = with_birthday(personas.rep_customer, "王老板", "1970-04-20", role="owner")
    key = f"birthday:contact:{contact.pk}:2027-04-20"
    client = client_for(personas.rep)
    answer = client.post("/agenda/done/", {"key": key, "next": "/agenda/?date=2027-04-20"})
    assert answer.status_code == 302 and answer["Location"] == "/agenda/?date=2027-04-20"
    assert CareRecord.objects.filter(contact=contact, occasion_date=DAY).count() == 1
    page = client.get("/agenda/", {"date": "2027-04-20"}).content.decode()
    assert "agenda-done" in page and "Undo" in page
    client.post("/agenda/done/", {"key": key, "undo": "1"})
    assert CareRecord.objects.count() == 0


def test_done_for_another_reps_customer_is_not_found_and_a_bad_key_says_so(personas):
    contact = with_birthday(personas.other_rep_customer, "刘老板", "1970-04-20", role="owner")
    client = client_for(personas.rep)
    key = f"birthday:contact:{contact.pk}:2027-04-20"
    assert client.post("/agenda/done/", {"key": key}).status_code == 404
    answer = client.post("/agenda/done/", {"key": "birthday:contact:x"}, follow=True)
    assert "This is not a birthday, festival or anniversary of a customer." in (
        answer.content.decode()
    )
    assert CareRecord.objects.count() == 0


def test_the_customer_page_shows_next_birthdays_the_anniversary_and_recent_care(personas):
    shop = personas.rep_customer
    owner = with_birthday(shop, "王老板", "农历八月十五", role="owner")
    with_birthday(shop, "小李", "1990-12-25")
    score(shop, first_order=date(2019, 6, 1))
    CareRecord.objects.create(
        company=personas.company,
        customer=shop,
        contact=owner,
        occasion="birthday",
        occasion_date=date(2026, 9, 25),
        note="送月饼",
    )
    html = client_for(personas.rep).get(f"/customers/{shop.pk}/").content.decode()
    assert 'id="care-birthdays"' in html
    assert "王老板" in html and "农历八月十五" in html
    assert "小李" in html
    assert 'id="care-anniversary"' in html
    assert "送月饼" in html
