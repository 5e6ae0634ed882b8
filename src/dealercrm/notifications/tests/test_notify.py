"""notify() sends each event once; each user sees, opens and marks only their own."""

from __future__ import annotations

from django.db import transaction
from django.template import Context, Template
from django.test import Client, RequestFactory

from dealercrm.notifications.models import Notification
from dealercrm.notifications.services import mark_read, notify, unread_count


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_notify_never_sends_the_same_key_twice(personas):
    first = notify(
        personas.rep, kind="pool_return", key="pool_return:2026-06-30", title="3 个客户回到公海"
    )
    with transaction.atomic():
        # Inside a transaction too (PostgreSQL would abort the whole transaction otherwise).
        again = notify(personas.rep, kind="pool_return", key="pool_return:2026-06-30", title="x")
        other_person = notify(
            personas.other_rep, kind="pool_return", key="pool_return:2026-06-30", title="y"
        )

    assert (first, again, other_person) == (True, False, True)
    assert Notification.objects.filter(recipient=personas.rep).count() == 1
    assert Notification.objects.get(recipient=personas.rep).title == "3 个客户回到公海"


def test_a_link_to_another_site_is_dropped(personas):
    notify(personas.rep, kind="x", key="a", title="a", link="https://evil.example/")
    notify(personas.rep, kind="x", key="b", title="b", link="//evil.example/")
    notify(personas.rep, kind="x", key="c", title="c", link="/ownership/pool/")

    links = dict(Notification.objects.values_list("key", "link"))
    assert links == {"a": "", "b": "", "c": "/ownership/pool/"}


def test_unread_count_and_mark_read(personas):
    for key in "abc":
        notify(personas.rep, kind="x", key=key, title=key)
    notify(personas.other_rep, kind="x", key="a", title="a")
    one = Notification.objects.get(recipient=personas.rep, key="a")

    assert unread_count(personas.rep) == 3
    assert mark_read(personas.other_rep, one.pk) == 0  # not theirs
    assert mark_read(personas.rep, one.pk) == 1
    assert unread_count(personas.rep) == 2
    assert mark_read(personas.rep) == 2
    assert unread_count(personas.rep) == 0 and unread_count(personas.other_rep) == 1


def test_a_user_sees_only_own_notifications(personas):
    notify(personas.rep, kind="x", key="a", title="给爱丽的消息")
    notify(personas.other_rep, kind="x", key="a", title="给刘波的消息")
    notify(personas.outsider, kind="x", key="a", title="外人的消息")

    page = _client(personas.rep).get("/notifications/").content.decode()

    assert "给爱丽的消息" in page
    assert "给刘波的消息" not in page and "外人的消息" not in page


def test_unread_ones_come_first(personas):
    notify(personas.rep, kind="x", key="old", title="旧的未读")
    notify(personas.rep, kind="x", key="read", title="已读的新消息")
    mark_read(personas.rep, Notification.objects.get(key="read").pk)

    page = _client(personas.rep).get("/notifications/").content.decode()

    assert page.index("旧的未读") < page.index("已读的新消息")


def test_opening_one_marks_it_read_and_follows_its_link(personas):
    notify(personas.rep, kind="x", key="a", title="a", link="/ownership/pool/")
    notification = Notification.objects.get()

    response = _client(personas.rep).get(f"/notifications/{notification.pk}/")

    assert response.status_code == 302 and response.url == "/ownership/pool/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_404(personas):
    notify(personas.other_rep, kind="x", key="a", title="a", link="/ownership/pool/")
    theirs = Notification.objects.get()
    client = _client(personas.rep)

    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    client.post("/notifications/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_on_the_page(personas):
    notify(personas.rep, kind="x", key="a", title="a")
    notify(personas.rep, kind="x", key="b", title="b")

    response = _client(personas.rep).post("/notifications/read/", follow=True)

    assert "Marked 2 notifications read" in response.content.decode()
    assert unread_count(personas.rep) == 0


def test_the_menu_tag_counts_unread_in_one_query(personas, django_assert_num_queries):
    notify(personas.rep, kind="x", key="a", title="a")
    notify(personas.rep, kind="x", key="b", title="b")
    request = RequestFactory().get("/")
    request.user = personas.rep
    template = Template(
        "{% load notifications_tags %}{% unread_notifications as count %}{{ count }}"
    )

    with django_assert_num_queries(1):
        assert template.render(Context({"request": request})) == "2"
